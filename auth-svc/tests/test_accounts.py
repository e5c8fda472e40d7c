"""Register, sign in, the own account, and the admin listing, on a real database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pitwall_auth.cli import _create_admin, _promote_admin
from pitwall_auth.config import Settings
from pitwall_auth.models import RefreshToken, User

API = "/api/v1/auth"


PASSWORD = "Grid-Walk-2024"  # the password conftest's helpers register with


async def test_register_login_me_roundtrip(api):
    client = api.client
    user = await api.register(email="Lena.Novak@Example.com")
    assert user["email"] == "lena.novak@example.com"  # stored lower-cased
    assert user["role"] == "user"
    assert user["preferences"] == {"plot_style": "light", "favourite_drivers": []}
    assert "password" not in str(user).lower()

    pair = await api.login(email="LENA.NOVAK@example.com")
    assert pair["token_type"] == "bearer" and pair["expires_in"] == 15 * 60
    assert pair["refresh_token"]

    me = await client.get(f"{API}/me", headers=api.bearer(pair["access_token"]))
    assert me.status_code == 200, me.text
    assert me.json() == user


async def test_password_is_stored_as_argon2id(api):
    await api.register()
    async with api.app.state.sessions() as session:
        stored = (await session.execute(select(User.password_hash))).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


async def test_duplicate_registration_is_409_and_keeps_the_first(api):
    client = api.client
    first = await api.register()
    again = await client.post(
        f"{API}/register",
        json={"email": "LENA@example.com", "password": "Other-Pass-99", "display_name": "X"},
    )
    api.problem(again, 409, "email-taken")
    assert await api.count(User) == 1
    pair = await api.login()  # the original password still works
    me = await client.get(f"{API}/me", headers=api.bearer(pair["access_token"]))
    assert me.json()["display_name"] == first["display_name"]


WEAK_PASSWORDS = [
    ("Short-1", "at least 10"),
    ("alllowercaseletters", "two kinds"),
    ("Password123", "common"),
    ("lena-racing-2024", "email name"),
]


async def test_weak_passwords_are_422_with_the_rule(api):
    # One database for all cases: each refusal must leave it empty for the next.
    for password, reason in WEAK_PASSWORDS:
        response = await api.client.post(
            f"{API}/register",
            json={"email": "lena@example.com", "password": password, "display_name": "Lena"},
        )
        body = api.problem(response, 422, "weak-password")
        assert reason in body["detail"], (password, body)
        assert "10 to 128 characters" in body["rule"]
        assert await api.count(User) == 0


MALFORMED_REGISTRATIONS = [
    {"email": "not-an-email", "password": PASSWORD, "display_name": "Lena"},
    {"email": "lena@example.com", "password": PASSWORD, "display_name": "   "},
    {"email": "lena@example.com", "password": PASSWORD, "display_name": "a\x00b"},
    {"email": "lena@example.com", "password": PASSWORD},
    {"email": "lena@example.com", "password": PASSWORD, "display_name": "L", "role": "admin"},
    {"email": "lena@example.com", "password": "x" * 500, "display_name": "Lena"},
    {"email": ["lena@example.com"], "password": PASSWORD, "display_name": "Lena"},
]


async def test_malformed_registration_is_422_and_changes_nothing(api):
    for payload in MALFORMED_REGISTRATIONS:
        response = await api.client.post(f"{API}/register", json=payload)
        body = api.problem(response, 422, "validation-error")
        assert body["errors"], payload
        assert await api.count(User) == 0


async def test_not_json_is_a_problem_not_a_crash(api):
    client = api.client
    response = await client.post(
        f"{API}/register", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    api.problem(response, 422)


async def test_bad_credentials_are_401(api):
    client = api.client
    await api.register()
    wrong = await client.post(
        f"{API}/login", json={"email": "lena@example.com", "password": "Wrong-Pass-1"}
    )
    body = api.problem(wrong, 401, "invalid-credentials")
    assert "refresh_token" not in body


async def test_oauth2_password_form_signs_in(api):
    client = api.client
    await api.register()
    response = await client.post(
        f"{API}/token", data={"username": "lena@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    assert (await client.get(f"{API}/me", headers=api.bearer(token))).status_code == 200
    bad = await client.post(f"{API}/token", data={"username": "lena@example.com", "password": "x"})
    api.problem(bad, 401, "invalid-credentials")


async def test_me_requires_a_valid_token(api):
    client = api.client
    api.problem(await client.get(f"{API}/me"), 401, "unauthorized")
    api.problem(await client.get(f"{API}/me", headers=api.bearer("abc.def.ghi")), 401)


async def test_patch_me_updates_only_what_is_sent(api):
    client = api.client
    await api.register()
    token = (await api.login())["access_token"]
    first = await client.patch(
        f"{API}/me",
        headers=api.bearer(token),
        json={"preferences": {"favourite_drivers": ["ver", "LEC", "VER", " nor "]}},
    )
    assert first.status_code == 200, first.text
    assert first.json()["preferences"] == {
        "plot_style": "light",
        "favourite_drivers": ["VER", "LEC", "NOR"],
    }
    second = await client.patch(
        f"{API}/me",
        headers=api.bearer(token),
        json={"display_name": "Lena N.", "preferences": {"plot_style": "dark"}},
    )
    assert second.json()["display_name"] == "Lena N."
    assert second.json()["preferences"] == {
        "plot_style": "dark",
        "favourite_drivers": ["VER", "LEC", "NOR"],
    }
    me = await client.get(f"{API}/me", headers=api.bearer(token))
    assert me.json() == second.json()


BAD_PROFILE_UPDATES = [
    {"preferences": {"plot_style": "neon"}},
    {"preferences": {"favourite_drivers": ["VERS"]}},
    {"preferences": {"favourite_drivers": ["V3R"]}},
    {"preferences": {"favourite_drivers": ["AAA"] * 21}},
    {"display_name": ""},
    {"email": "new@example.com"},
]


async def test_patch_me_rejects_bad_values_and_changes_nothing(api):
    before = await api.register()
    token = (await api.login())["access_token"]
    for payload in BAD_PROFILE_UPDATES:
        response = await api.client.patch(f"{API}/me", headers=api.bearer(token), json=payload)
        api.problem(response, 422)
        assert (await api.client.get(f"{API}/me", headers=api.bearer(token))).json() == before


async def test_delete_me_removes_reports_then_the_account(api, report_stand_in):
    client = api.client
    await api.register()
    token = (await api.login())["access_token"]
    wrong = await client.request(
        "DELETE", f"{API}/me", headers=api.bearer(token), json={"password": "Not-My-Pass-1"}
    )
    api.problem(wrong, 403, "password-mismatch")
    assert report_stand_in.calls == [] and await api.count(User) == 1

    response = await client.request(
        "DELETE", f"{API}/me", headers=api.bearer(token), json={"password": PASSWORD}
    )
    assert response.status_code == 204, response.text
    assert report_stand_in.calls == [
        {"path": "/api/v1/reports/mine", "authorization": f"Bearer {token}"},
        {"path": "/api/v1/analysis/conversations/mine", "authorization": f"Bearer {token}"},
    ]
    assert await api.count(User) == 0
    assert await api.count(RefreshToken) == 0
    api.problem(await client.get(f"{API}/me", headers=api.bearer(token)), 401)
    gone = await client.post(
        f"{API}/login", json={"email": "lena@example.com", "password": PASSWORD}
    )
    api.problem(gone, 401, "invalid-credentials")


async def test_admin_route_is_for_admins_only(api, settings: Settings):
    client = api.client
    await api.register(email="ana@example.com")
    user_token = (await api.login(email="ana@example.com"))["access_token"]
    api.problem(await client.get(f"{API}/users", headers=api.bearer(user_token)), 403, "forbidden")

    # The CLI path: promote the existing, named account, then create a brand-new admin.
    assert "now an administrator" in await _promote_admin(settings, "ana@example.com")
    created = await _create_admin(settings, "boss@example.com", False)
    generated_password = created.rsplit(": ", 1)[1]
    assert "shown only now" in created and len(generated_password) >= 20

    # The role is read at sign-in, so the old token is still a user's.
    assert (await client.get(f"{API}/users", headers=api.bearer(user_token))).status_code == 403
    admin_token = (await api.login(email="ana@example.com"))["access_token"]
    listing = await client.get(f"{API}/users", headers=api.bearer(admin_token), params={"limit": 1})
    assert listing.status_code == 200, listing.text
    assert listing.json()["total"] == 2 and len(listing.json()["items"]) == 1
    boss = await api.login(email="boss@example.com", password=generated_password)
    full = await client.get(f"{API}/users", headers=api.bearer(boss["access_token"]))
    assert {u["email"]: u["role"] for u in full.json()["items"]} == {
        "ana@example.com": "admin",
        "boss@example.com": "admin",
    }
    api.problem(
        await client.get(f"{API}/users", headers=api.bearer(admin_token), params={"limit": 0}), 422
    )


async def test_create_admin_never_takes_over_an_account_someone_registered(api, settings):
    """Whoever registered the admin's email first keeps an ordinary account: creating the
    admin fails and changes nothing; only naming the account to promote promotes it."""
    from pitwall_shared.problems import ProblemError

    await api.register(email="chief@example.com")
    with pytest.raises(ProblemError, match=r"--promote-existing chief@example\.com") as refused:
        await _create_admin(settings, "chief@example.com", False)
    assert refused.value.status == 409
    pair = await api.login(email="chief@example.com")  # the first owner's password still works
    api.problem(await api.client.get(f"{API}/users", headers=api.bearer(pair["access_token"])), 403)
    assert await api.count(User) == 1
    with pytest.raises(ProblemError, match="no account") as missing:
        await _promote_admin(settings, "nobody@example.com")
    assert missing.value.status == 404 and await api.count(User) == 1


async def test_cli_refuses_a_weak_admin_password(api, settings: Settings, monkeypatch):
    import io

    from pitwall_shared.problems import ProblemError

    # stdin stands in for the operator typing the password.
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    with pytest.raises(ProblemError, match="too weak"):
        await _create_admin(settings, "weak@example.com", True)
    assert await api.count(User) == 0


async def test_delete_me_password_guesses_hit_the_login_limit(api, report_stand_in):
    await api.register()
    token = (await api.login())["access_token"]
    for _ in range(3):  # the limit in the test settings
        guess = await api.client.request(
            "DELETE", f"{API}/me", headers=api.bearer(token), json={"password": "Guess-Pass-1"}
        )
        api.problem(guess, 403, "password-mismatch")
    locked = await api.client.request(
        "DELETE", f"{API}/me", headers=api.bearer(token), json={"password": PASSWORD}
    )
    api.problem(locked, 429, "login-locked")
    assert report_stand_in.calls == [] and await api.count(User) == 1
