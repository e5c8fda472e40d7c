"""Password guessing: counted before the check, per (email, address) with growing lockouts,
an account-wide ceiling that spares the owner's known addresses, and password re-checks on
their own limit. The test settings allow 3 failures.

The app runs in process behind ``ASGITransport``, whose peer is 127.0.0.1 (trusted by
default), so the X-Forwarded-For header stands in for the address the gateway would send.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from prometheus_client import REGISTRY
from sqlalchemy import select, update

from pitwall_auth.models import LoginThrottle, RefreshToken, User, utcnow
from pitwall_auth.services.housekeeping import Purged, purge
from pitwall_auth.services.throttle import sign_in_keys

API = "/api/v1/auth"
WRONG = "Wrong-Pass-1"
OWNER_ADDRESS = "198.51.100.2"
ATTACKER_ADDRESS = "203.0.113.7"


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


async def _login(api, email: str, password: str, address: str = OWNER_ADDRESS):  # type: ignore[no-untyped-def]
    return await api.client.post(
        f"{API}/login", json={"email": email, "password": password}, headers=_from(address)
    )


async def _row(api, key: str) -> LoginThrottle | None:  # type: ignore[no-untyped-def]
    async with api.app.state.sessions() as session:
        return await session.get(LoginThrottle, key)


async def _end_lockouts(api) -> None:  # type: ignore[no-untyped-def]
    """Move running lockouts into the past instead of sleeping through them."""
    async with api.app.state.sessions() as session:
        await session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.locked_until.is_not(None))
            .values(locked_until=utcnow() - timedelta(seconds=1))
        )
        await session.commit()


def _logins(outcome: str) -> float:
    return REGISTRY.get_sample_value("pitwall_auth_logins_total", {"outcome": outcome}) or 0.0


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
            response = await _login(api, email, WRONG)
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
    right = await _login(api, "lena@example.com", api.password)
    api.problem(right, 429, "login-locked")
    form = await api.client.post(
        f"{API}/token",
        data={"username": "LENA@example.com", "password": api.password},
        headers=_from(OWNER_ADDRESS),
    )
    api.problem(form, 429, "login-locked")


async def test_lockout_ends_and_success_clears_the_count(api):
    await api.register()
    keys = sign_in_keys("lena@example.com", OWNER_ADDRESS)
    for _ in range(3):
        await _login(api, "lena@example.com", WRONG)
    await _end_lockouts(api)
    assert (await _login(api, "lena@example.com", api.password)).status_code == 200
    own = await _row(api, keys.own)
    assert own is not None and own.failures == 0 and own.strikes == 0
    assert own.known_until is not None and own.known_until > utcnow() + timedelta(days=29)
    account = await _row(api, keys.account or "")
    # Three failures stay on the account's ceiling; the success took back only its own count.
    assert account is not None and account.failures == 3
    # Two failures after a success do not lock: the count started again.
    for _ in range(2):
        await _login(api, "lena@example.com", WRONG)
    assert (await _login(api, "lena@example.com", api.password)).status_code == 200


async def test_parallel_guesses_are_evaluated_at_most_up_to_the_limit(api):
    """Counted before the slow check: a burst cannot outrun the count (once it could: the
    limit was read before the check and counted after it)."""
    await api.register()
    for email in ("lena@example.com", "ghost@example.com"):
        before = _logins("invalid")
        responses = await asyncio.gather(*(_login(api, email, WRONG) for _ in range(12)))
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [401] * 3 + [429] * 9, [r.text for r in responses]
        assert _logins("invalid") - before == 3  # exactly the limit was evaluated
        own = await _row(api, sign_in_keys(email, OWNER_ADDRESS).own)
        assert own is not None and own.failures == 3 and own.locked_until is not None
        api.problem(await _login(api, email, api.password), 429, "login-locked")


async def test_each_further_lockout_lasts_twice_as_long(tuned_api):
    async with tuned_api(login_lockout_seconds=60) as api:
        await api.register()
        waits = []
        for _ in range(3):
            for _ in range(3):
                await _login(api, "lena@example.com", WRONG)
            locked = await _login(api, "lena@example.com", api.password)
            api.problem(locked, 429, "login-locked")
            waits.append(int(locked.headers["retry-after"]))
            await _end_lockouts(api)
        assert [round(w / 60) for w in waits] == [1, 2, 4], waits
        # A right password after the lockout clears the strikes as well.
        assert (await _login(api, "lena@example.com", api.password)).status_code == 200
        own = await _row(api, sign_in_keys("lena@example.com", OWNER_ADDRESS).own)
        assert own is not None and own.strikes == 0


async def test_guesses_from_another_address_do_not_lock_the_owner_out(api):
    await api.register()
    attacks = [await _login(api, "lena@example.com", WRONG, ATTACKER_ADDRESS) for _ in range(5)]
    assert [r.status_code for r in attacks] == [401, 401, 401, 429, 429]
    # The attacker's address is locked, even for the right password...
    api.problem(
        await _login(api, "lena@example.com", api.password, ATTACKER_ADDRESS), 429, "login-locked"
    )
    # ...and the owner, elsewhere, signs in as usual.
    assert (await _login(api, "lena@example.com", api.password, OWNER_ADDRESS)).status_code == 200


async def test_the_account_ceiling_stops_spread_guessing_but_spares_known_addresses(tuned_api):
    async with tuned_api(login_account_max_failures=5) as api:
        await api.register()
        assert (await _login(api, "lena@example.com", api.password)).status_code == 200
        spread = [f"203.0.113.{n}" for n in (1, 1, 1, 2, 2)]
        for address in spread:
            assert (await _login(api, "lena@example.com", WRONG, address)).status_code == 401
        # Five failures from anywhere: a fresh address is refused without a check...
        fresh = await _login(api, "lena@example.com", api.password, "203.0.113.99")
        api.problem(fresh, 429, "login-locked")
        api.problem(await _login(api, "lena@example.com", WRONG, "203.0.113.3"), 429)
        # ...while the owner's address, known from the earlier sign-in, is not.
        assert (await _login(api, "lena@example.com", api.password)).status_code == 200


async def test_x_forwarded_for_counts_only_from_a_trusted_peer(tuned_api):
    # Nothing trusted: the header is the client's own claim, so every guess counts against
    # the real peer address whatever it says.
    async with tuned_api(trusted_proxies="") as api:
        await api.register()
        for n in range(3):
            await _login(api, "lena@example.com", WRONG, f"203.0.113.{n}")
        api.problem(await _login(api, "lena@example.com", api.password), 429, "login-locked")
        assert await _row(api, sign_in_keys("lena@example.com", "127.0.0.1").own) is not None


async def test_a_locked_out_owner_can_still_change_password_and_delete_the_account(
    api, report_stand_in
):
    await api.register()
    token = (await api.login())["access_token"]
    # Someone locks this email out at the owner's own address (behind the same NAT, say).
    for _ in range(4):
        await _login(api, "lena@example.com", WRONG, "127.0.0.1")
    api.problem(await _login(api, "lena@example.com", api.password, "127.0.0.1"), 429)

    changed = await api.client.post(
        f"{API}/me/password",
        headers=api.bearer(token),
        json={"current_password": api.password, "new_password": "Fresh-Tyres-33"},
    )
    assert changed.status_code == 204, changed.text
    # Signed in elsewhere with the new password, the owner deletes the account.
    fresh = await _login(api, "lena@example.com", "Fresh-Tyres-33", OWNER_ADDRESS)
    assert fresh.status_code == 200, fresh.text
    deleted = await api.client.request(
        "DELETE",
        f"{API}/me",
        headers=api.bearer(fresh.json()["access_token"]),
        json={"password": "Fresh-Tyres-33"},
    )
    assert deleted.status_code == 204, deleted.text
    assert await api.count(User) == 0 and len(report_stand_in.calls) == 2


async def test_password_rechecks_have_their_own_limit(api, report_stand_in):
    """A stolen access token is no password oracle, and its guesses lock only the re-check,
    not the owner's sign-in."""
    await api.register()
    token = (await api.login())["access_token"]
    for _ in range(3):
        guess = await api.client.request(
            "DELETE", f"{API}/me", headers=api.bearer(token), json={"password": "Guess-Pass-1"}
        )
        api.problem(guess, 403, "password-mismatch")
    locked = await api.client.request(
        "DELETE", f"{API}/me", headers=api.bearer(token), json={"password": api.password}
    )
    api.problem(locked, 429, "login-locked")
    changing = await api.client.post(
        f"{API}/me/password",
        headers=api.bearer(token),
        json={"current_password": api.password, "new_password": "Fresh-Tyres-33"},
    )
    api.problem(changing, 429, "login-locked")
    assert report_stand_in.calls == [] and await api.count(User) == 1
    assert (await _login(api, "lena@example.com", api.password)).status_code == 200


async def test_housekeeping_deletes_only_what_can_no_longer_matter(api):
    await api.register()
    spent = await api.login()
    await api.client.post(f"{API}/refresh", json={"refresh_token": spent["refresh_token"]})
    for _ in range(3):  # a lockout: must survive while it runs
        await _login(api, "ghost@example.com", WRONG)
    policy = api.app.state.auth.throttle
    async with api.app.state.sessions.begin() as session:
        nothing = await purge(session, policy)
    assert nothing == Purged(refresh_tokens=0, throttle_rows=0)
    # lena's sign-in rows (account + known address) and ghost's two rows.
    assert await api.count(RefreshToken) == 2 and await api.count(LoginThrottle) == 4

    async with api.app.state.sessions.begin() as session:
        past = utcnow() - timedelta(days=2)
        await session.execute(update(RefreshToken).values(expires_at=past))
        await session.execute(
            update(LoginThrottle).values(window_started_at=past, locked_until=past)
        )
    async with api.app.state.sessions.begin() as session:
        purged = await purge(session, policy)
    # The known address stays until it is no longer known.
    assert purged == Purged(refresh_tokens=2, throttle_rows=3)
    async with api.app.state.sessions() as session:
        (kept,) = (await session.execute(select(LoginThrottle))).scalars()
    assert kept.throttle_key == sign_in_keys("lena@example.com", "127.0.0.1").own
