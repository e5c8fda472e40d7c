"""JWKS, verification of our tokens by the shared verifier, key rotation, service tokens."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import httpx
import jwt
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import text

from pitwall_auth.__main__ import main
from pitwall_auth.config import get_settings
from pitwall_auth.keys import KeysMissingError, load_keys, rotate_keys
from pitwall_auth.main import create_app
from pitwall_shared.db import create_engine
from pitwall_shared.tokens import JwksKeyStore, TokenVerifier

API = "/api/v1/auth"
REPORT_SECRET = "report-client-secret-for-tests"  # as configured by conftest


def _verifier(app) -> tuple[TokenVerifier, httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """The verifier every other service uses, fetching our JWKS over HTTP from the app."""
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://auth")
    store = JwksKeyStore("http://auth/.well-known/jwks.json", http, cache_seconds=300)
    return TokenVerifier(store, issuer="pitwall-auth", audience="pitwall"), http


async def test_jwks_publishes_only_public_ed25519_keys(api):
    response = await api.client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519"
    assert key["alg"] == "EdDSA" and key["use"] == "sig" and key["kid"]
    assert "d" not in key  # the private part must never leave


async def test_access_tokens_verify_with_the_shared_verifier(api):
    user = await api.register()
    token = (await api.login())["access_token"]
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["kid"]
    verifier, http = _verifier(api.app)
    async with http:
        identity = await verifier.verify(token)
    assert identity.user_id == user["id"] and identity.role == "user"
    claims = identity.claims
    assert set(claims) == {"sub", "role", "typ", "iss", "aud", "iat", "nbf", "exp", "jti", "sid"}
    assert claims["typ"] == "access" and claims["exp"] - claims["iat"] == 15 * 60


async def test_rotation_keeps_old_tokens_valid_during_overlap(settings, start_app):
    settings = settings.model_copy(update={"key_rescan_seconds": 0.0})
    async with start_app(settings) as (app, client):
        await client.post(
            f"{API}/register",
            json={"email": "lena@example.com", "password": "Grid-Walk-2024", "display_name": "L"},
        )
        login = {"email": "lena@example.com", "password": "Grid-Walk-2024"}
        old_token = (await client.post(f"{API}/login", json=login)).json()["access_token"]
        old_kid = jwt.get_unverified_header(old_token)["kid"]

        result = rotate_keys(settings.resolved_keys_dir, overlap=timedelta(hours=1))
        assert result.retired == [] and result.published == [old_kid, result.added]

        jwks = (await client.get("/.well-known/jwks.json")).json()
        assert {k["kid"] for k in jwks["keys"]} == {old_kid, result.added}
        new_token = (await client.post(f"{API}/login", json=login)).json()["access_token"]
        assert jwt.get_unverified_header(new_token)["kid"] == result.added  # newest signs
        verifier, http = _verifier(app)
        async with http:
            assert (await verifier.verify(old_token)).claims["sub"]
            assert (await verifier.verify(new_token)).claims["sub"]
        assert (await client.get(f"{API}/me", headers=_bearer(old_token))).status_code == 200

        # Two hours later another rotation retires the key superseded more than an hour ago.
        later = rotate_keys(
            settings.resolved_keys_dir,
            overlap=timedelta(hours=1),
            now=load_keys(settings.resolved_keys_dir)[-1].created_at + timedelta(hours=2),
        )
        assert later.retired == [old_kid]
        jwks = (await client.get("/.well-known/jwks.json")).json()
        assert {k["kid"] for k in jwks["keys"]} == {result.added, later.added}
        expired_key = await client.get(f"{API}/me", headers=_bearer(old_token))
        assert expired_key.status_code == 401
        assert "unknown key" in expired_key.json()["detail"]
        assert (await client.get(f"{API}/me", headers=_bearer(new_token))).status_code == 200


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_production_refuses_to_start_without_keys(tmp_path, settings):
    prod = settings.model_copy(update={"environment": "prod", "keys_dir": tmp_path / "empty"})
    with pytest.raises(KeysMissingError):
        async with LifespanManager(create_app(prod)):
            pass
    assert not (tmp_path / "empty").exists() or not any((tmp_path / "empty").iterdir())


async def test_service_tokens_for_known_clients_only(api):
    response = await api.client.post(
        "/internal/service-token", json={"client_id": "report", "client_secret": REPORT_SECRET}
    )
    assert response.status_code == 200, response.text
    pair = response.json()
    assert pair["refresh_token"] is None and pair["expires_in"] == 300
    verifier, http = _verifier(api.app)
    async with http:
        identity = await verifier.verify(pair["access_token"])
    assert identity.role == "service" and identity.user_id == "service:report"
    assert identity.claims["exp"] - identity.claims["iat"] == 300
    assert "sid" not in identity.claims  # a service token belongs to no sign-in

    wrong = await api.client.post(
        "/internal/service-token", json={"client_id": "report", "client_secret": "guess"}
    )
    unknown = await api.client.post(
        "/internal/service-token", json={"client_id": "nobody", "client_secret": "guess"}
    )
    body = api.problem(wrong, 401, "invalid-client")
    other = api.problem(unknown, 401, "invalid-client")
    assert body["detail"] == other["detail"]
    api.problem(await api.client.post("/internal/service-token", json={"client_id": "r"}), 422)
    # A service token is not an account.
    me = await api.client.get(f"{API}/me", headers=api.bearer(pair["access_token"]))
    api.problem(me, 401)


async def test_cli_migrates_rotates_and_creates_an_admin(tmp_path: Path, database_url, monkeypatch):
    env = {
        "AUTH_DATABASE_URL": database_url,
        "AUTH_KEYS_DIR": str(tmp_path / "keys"),
        "PITWALL_DATA_DIR": str(tmp_path),
        "AUTH_ARGON2_TIME_COST": "1",
        "AUTH_ARGON2_MEMORY_KIB": "8192",
    }
    # One real process proves ``python -m pitwall_auth`` dispatches; the rest run in-process
    # through the same entry point, which is much quicker on a busy machine.
    rotated = subprocess.run(
        [sys.executable, "-m", "pitwall_auth", "rotate-keys"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert rotated.returncode == 0 and "added signing key" in rotated.stdout, rotated.stderr
    (key_file,) = (tmp_path / "keys").glob("*.pem")
    assert key_file.stat().st_mode & 0o777 == 0o600  # a private key readable by us only

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        assert await asyncio.to_thread(main, ["migrate"]) == 0  # at head already: a no-op
        monkeypatch.setattr("sys.stdin", io.StringIO("Box-Box-Box-77\n"))
        args = ["create-admin", "chief@example.com", "--password-stdin"]
        assert await asyncio.to_thread(main, args) == 0
        monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
        weak = ["create-admin", "weak@example.com", "--password-stdin"]
        assert await asyncio.to_thread(main, weak) == 1
    finally:
        get_settings.cache_clear()
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(text("SELECT email, role FROM users"))).all()
    finally:
        await engine.dispose()
    assert [tuple(r) for r in rows] == [("chief@example.com", "admin")]


def test_settings_default_database_is_sqlite_in_the_data_dir(tmp_path, settings):
    settings = settings.model_copy(update={"database_url": None, "keys_dir": None})
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'auth.db'}"
    assert settings.resolved_keys_dir == tmp_path / "keys"
    assert settings.service_client_secrets() == {
        "report": REPORT_SECRET,
        "analysis": "other-secret-value",
    }
