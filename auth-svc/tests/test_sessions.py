"""Refresh rotation, reuse detection, logout, and the login lockout."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from prometheus_client import REGISTRY
from sqlalchemy import update

from pitwall_auth.models import LoginThrottle, RefreshToken, utcnow
from pitwall_auth.services.housekeeping import Purged, purge
from pitwall_auth.services.throttle import email_key

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


def _comparable(response) -> tuple[int, dict, str | None, str | None]:  # type: ignore[no-untyped-def]
    body = {k: v for k, v in response.json().items() if k != "request_id"}
    return (
        response.status_code,
        body,
        response.headers.get("www-authenticate"),
        response.headers.get("content-type"),
    )


def _logins(outcome: str) -> float:
    return REGISTRY.get_sample_value("pitwall_auth_logins_total", {"outcome": outcome}) or 0.0


async def test_lockout_looks_the_same_for_unknown_and_real_accounts(api):
    await api.register()
    before = {outcome: _logins(outcome) for outcome in ("invalid", "locked")}
    attempts = {"lena@example.com": [], "ghost@example.com": []}
    for _ in range(4):  # the limit in the test settings is 3 failures
        for email, seen in attempts.items():
            response = await api.client.post(
                f"{API}/login", json={"email": email, "password": "Wrong-Pass-1"}
            )
            seen.append(response)
    real, ghost = attempts["lena@example.com"], attempts["ghost@example.com"]
    for mine, theirs in zip(real, ghost, strict=True):
        assert _comparable(mine) == _comparable(theirs)
    assert [r.status_code for r in real] == [401, 401, 401, 429]
    api.problem(real[3], 429, "login-locked")
    assert abs(int(real[3].headers["retry-after"]) - int(ghost[3].headers["retry-after"])) <= 1
    assert 0 < int(real[3].headers["retry-after"]) <= 900
    assert _logins("invalid") - before["invalid"] == 6
    assert _logins("locked") - before["locked"] == 2

    # Locked means locked: the right password is refused too.
    right = await api.client.post(
        f"{API}/login", json={"email": "lena@example.com", "password": api.password}
    )
    api.problem(right, 429, "login-locked")
    form = await api.client.post(
        f"{API}/token", data={"username": "LENA@example.com", "password": api.password}
    )
    api.problem(form, 429, "login-locked")


async def test_lockout_ends_and_success_clears_the_count(api):
    await api.register()
    for _ in range(3):
        await api.client.post(
            f"{API}/login", json={"email": "lena@example.com", "password": "Wrong-Pass-1"}
        )
    await _expire_all(api, LoginThrottle, "locked_until")
    await api.login()  # the lockout is over
    assert await api.count(LoginThrottle) == 0
    # Two failures after a success do not lock: the count started again.
    for _ in range(2):
        await api.client.post(
            f"{API}/login", json={"email": "lena@example.com", "password": "Wrong-Pass-1"}
        )
    await api.login()


async def test_concurrent_failures_all_count_and_never_fail_the_server(api):
    await api.register()

    async def attempt(email: str):  # type: ignore[no-untyped-def]
        return await api.client.post(
            f"{API}/login", json={"email": email, "password": "Wrong-Pass-1"}
        )

    for email in ("lena@example.com", "ghost@example.com"):
        responses = await asyncio.gather(*(attempt(email) for _ in range(8)))
        assert {r.status_code for r in responses} <= {401, 429}, [r.text for r in responses]
        async with api.app.state.sessions() as session:
            row = await session.get(LoginThrottle, email_key(email))
        # Every failure that got past the lock check was counted; the limit is 3.
        assert row is not None and row.locked_until is not None
        assert row.failures == sum(r.status_code == 401 for r in responses) >= 3
        api.problem(await attempt(email), 429, "login-locked")


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


async def test_housekeeping_deletes_only_what_can_no_longer_matter(api):
    await api.register()
    spent = await api.login()
    await _refresh(api, spent["refresh_token"])  # spent stays on file to catch its reuse
    for _ in range(3):  # a lockout: must survive while it runs
        await api.client.post(
            f"{API}/login", json={"email": "ghost@example.com", "password": "Wrong-Pass-1"}
        )
    policy = api.app.state.auth.throttle
    async with api.app.state.sessions.begin() as session:
        nothing = await purge(session, policy)
    assert nothing == Purged(refresh_tokens=0, throttle_rows=0)
    assert await api.count(RefreshToken) == 2 and await api.count(LoginThrottle) == 1

    async with api.app.state.sessions.begin() as session:
        past = utcnow() - timedelta(days=1)
        await session.execute(update(RefreshToken).values(expires_at=past))
        await session.execute(
            update(LoginThrottle).values(window_started_at=past, locked_until=past)
        )
    async with api.app.state.sessions.begin() as session:
        purged = await purge(session, policy)
    assert purged == Purged(refresh_tokens=2, throttle_rows=1)
    assert await api.count(RefreshToken) == 0 and await api.count(LoginThrottle) == 0
