"""Refresh rotation, reuse detection, logout, and the sign-in id in access tokens."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import jwt
from sqlalchemy import select, update

from pitwall_auth.models import RefreshToken, utcnow

API = "/api/v1/auth"


async def _refresh(api, token: str):  # type: ignore[no-untyped-def]
    return await api.client.post(f"{API}/refresh", json={"refresh_token": token})


async def _expire_all(api, model, column) -> None:  # type: ignore[no-untyped-def]
    """Move a stored deadline into the past instead of sleeping through it."""
    async with api.app.state.sessions() as session:
        await session.execute(update(model).values({column: utcnow() - timedelta(seconds=1)}))
        await session.commit()


async def test_refresh_rotates_and_each_token_works_once(api):
    await api.register()
    first = await api.login()
    second = (await _refresh(api, first["refresh_token"])).json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    me = await api.client.get(f"{API}/me", headers=api.bearer(second["access_token"]))
    assert me.status_code == 200
    third = await _refresh(api, second["refresh_token"])
    assert third.status_code == 200, third.text
    # Only hashes are stored.
    async with api.app.state.sessions() as session:
        stored = {t.token_hash for t in (await session.execute(RefreshToken.__table__.select()))}
    assert first["refresh_token"] not in stored and len(stored) == 3


async def test_reusing_a_spent_token_revokes_the_whole_family(api):
    await api.register()
    stolen = await api.login()
    other_device = await api.login()
    latest = (await _refresh(api, stolen["refresh_token"])).json()

    reuse = await _refresh(api, stolen["refresh_token"])
    body = api.problem(reuse, 401, "refresh-token-reused")
    assert "revoked" in body["detail"]
    # The legitimate holder's newest token died with the family...
    api.problem(await _refresh(api, latest["refresh_token"]), 401, "invalid-refresh-token")
    # ...while a separate sign-in is untouched.
    assert (await _refresh(api, other_device["refresh_token"])).status_code == 200


async def test_logout_revokes_that_sign_in_only(api):
    await api.register()
    pair = await api.login()
    other = await api.login()
    rotated = (await _refresh(api, pair["refresh_token"])).json()
    out = await api.client.post(f"{API}/logout", json={"refresh_token": rotated["refresh_token"]})
    assert out.status_code == 204 and out.content == b""
    api.problem(await _refresh(api, rotated["refresh_token"]), 401, "invalid-refresh-token")
    assert (await _refresh(api, other["refresh_token"])).status_code == 200
    # Unknown tokens and an empty body change nothing and reveal nothing.
    assert (await api.client.post(f"{API}/logout", json={"refresh_token": "x"})).status_code == 204
    assert (await api.client.post(f"{API}/logout", json={})).status_code == 204
    api.problem(await api.client.post(f"{API}/logout", json={"refresh_token": 5}), 422)


async def test_expired_and_malformed_refresh_tokens_are_refused(api):
    await api.register()
    pair = await api.login()
    api.problem(await api.client.post(f"{API}/refresh", json={}), 422, "validation-error")
    api.problem(await _refresh(api, "not-a-token"), 401, "invalid-refresh-token")
    await _expire_all(api, RefreshToken, "expires_at")
    body = api.problem(await _refresh(api, pair["refresh_token"]), 401, "invalid-refresh-token")
    assert "expired" in body["detail"]


async def test_two_concurrent_refreshes_of_one_token_count_as_reuse(api):
    await api.register()
    pair = await api.login()
    first, second = await asyncio.gather(
        _refresh(api, pair["refresh_token"]), _refresh(api, pair["refresh_token"])
    )
    assert sorted([first.status_code, second.status_code]) == [200, 401], (first.text, second.text)
    loser = first if first.status_code == 401 else second
    winner = second if loser is first else first
    api.problem(loser, 401, "refresh-token-reused")
    # A token presented twice at once is treated as stolen: the winner's successor is revoked.
    api.problem(await _refresh(api, winner.json()["refresh_token"]), 401)


async def test_password_change_ends_every_sign_in(api):
    await api.register()
    pair = await api.login()
    other = await api.login()
    url = f"{API}/me/password"
    headers = api.bearer(pair["access_token"])
    wrong = await api.client.post(
        url,
        headers=headers,
        json={"current_password": "Nope-Nope-1", "new_password": "Fresh-Tyres-33"},
    )
    api.problem(wrong, 403, "password-mismatch")
    weak = await api.client.post(
        url, headers=headers, json={"current_password": api.password, "new_password": "short"}
    )
    api.problem(weak, 422, "weak-password")
    assert (await _refresh(api, other["refresh_token"])).status_code == 200  # nothing changed yet

    changed = await api.client.post(
        url,
        headers=headers,
        json={"current_password": api.password, "new_password": "Fresh-Tyres-33"},
    )
    assert changed.status_code == 204, changed.text
    api.problem(await _refresh(api, pair["refresh_token"]), 401, "invalid-refresh-token")
    old = await api.client.post(
        f"{API}/login", json={"email": "lena@example.com", "password": api.password}
    )
    api.problem(old, 401, "invalid-credentials")
    await api.login(password="Fresh-Tyres-33")


def _sid(access_token: str) -> str:
    return str(jwt.decode(access_token, options={"verify_signature": False})["sid"])


async def test_access_tokens_name_their_sign_in(api):
    """``sid`` is the refresh-token family: the same across refreshes, new per sign-in, so
    a logout can end exactly the access tokens of that sign-in."""
    await api.register()
    first = await api.login()
    refreshed = (await _refresh(api, first["refresh_token"])).json()
    other = await api.login()
    assert _sid(first["access_token"]) == _sid(refreshed["access_token"])
    assert _sid(other["access_token"]) != _sid(first["access_token"])
    async with api.app.state.sessions() as session:
        families = set((await session.execute(select(RefreshToken.family_id))).scalars())
    assert families == {_sid(first["access_token"]), _sid(other["access_token"])}
