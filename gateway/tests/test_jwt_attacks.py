"""Forged, stale and foreign tokens are refused at the gateway with a 401 problem."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from pitwall_shared.testing import TestSigner

PROTECTED = "/api/v1/telemetry/sessions"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _tamper_payload(token: str, **changes: object) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims.update(changes)
    return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"


def _attacks(signer: TestSigner) -> dict[str, str]:
    now = int(time.time())
    good = signer.token(sub="victim")
    claims = jwt.decode(good, options={"verify_signature": False})
    public_pem = signer.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header, payload, signature = good.split(".")
    flipped = signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")
    return {
        "alg none": jwt.encode(claims, None, algorithm="none", headers={"kid": signer.kid}),
        # The classic key-confusion attack: HMAC keyed with the published public key.
        "HS256 with the public key": _hs256(claims, public_pem, signer.kid),
        "expired": signer.token(exp=now - 120, iat=now - 720, nbf=now - 720),
        "not yet valid": signer.token(nbf=now + 600),
        "wrong issuer": signer.token(iss="https://evil.example"),
        "wrong audience": signer.token(aud="another-app"),
        "unknown kid": jwt.encode(
            claims, TestSigner().private_key, algorithm="EdDSA", headers={"kid": "not-a-key"}
        ),
        "foreign key, known kid": jwt.encode(
            claims, TestSigner().private_key, algorithm="EdDSA", headers={"kid": signer.kid}
        ),
        "tampered payload": _tamper_payload(good, sub="admin", role="admin"),
        "tampered signature": f"{header}.{payload}.{flipped}",
        "refresh token as access": signer.token(typ="refresh"),
        "garbage": "not.a.jwt",
    }


def _hs256(claims: dict[str, object], key: bytes, kid: str) -> str:
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    body = _b64(json.dumps(claims).encode())
    import hashlib
    import hmac

    mac = hmac.new(key, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{_b64(mac)}"


ATTACK_NAMES = list(_attacks(TestSigner()).keys())


@pytest.mark.parametrize("attack", ATTACK_NAMES)
async def test_attack_is_rejected_with_401_problem(gateway, signer, expect_problem, attack):
    token = _attacks(signer)[attack]
    response = await gateway.get(PROTECTED, headers={"Authorization": f"Bearer {token}"})
    body = expect_problem(response, 401)
    assert body["type"].endswith("/unauthorized")
    # Never forwarded: the stand-in upstream would have echoed the request.
    assert "service" not in body


@pytest.mark.parametrize("value", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer  ", "token abc"])
async def test_malformed_authorization_header_is_401(gateway, expect_problem, value):
    response = await gateway.get(PROTECTED, headers={"Authorization": value})
    expect_problem(response, 401)


async def test_valid_token_passes_and_is_cached_by_digest(gateway, signer):
    token = signer.token(sub="driver-1")
    for _ in range(3):
        response = await gateway.get(PROTECTED, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
    cache = gateway._transport.app.state.gateway.verifier._verified
    assert token.encode() not in cache
    assert any(identity.user_id == "driver-1" for identity, _ in cache.values())


async def test_cached_token_still_expires(make_gateway, signer, expect_problem):
    token = signer.token(ttl=1)
    async with make_gateway(token_cache_seconds=60) as client:
        headers = {"Authorization": f"Bearer {token}"}
        assert (await client.get(PROTECTED, headers=headers)).status_code == 200
        # The cache entry must not outlive the token (1 s ttl; leeway is 5 s on decode).
        cache = client._transport.app.state.gateway.verifier._verified
        ((_, valid_until),) = cache.values()
        assert valid_until <= time.time() + 1.5
