"""Forged and stale tokens against the real stack: the gateway and the service both say 401.

auth-svc and the gateway run as real processes (the session's shared stack). The tokens that
need a valid signature on bad claims (expired, not yet valid, wrong issuer or audience) are
signed with auth-svc's own key, read from its key directory, as an insider with the key would;
a correctly signed token with good claims is the positive control that makes the refusals mean
something.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from scripts.stack import Stack

ME = "/api/v1/auth/me"


@pytest.fixture(scope="module")
def session(stack: Stack) -> dict[str, Any]:
    email = f"jwt-{uuid.uuid4().hex[:8]}@example.com"
    password = "jwt-attack-correct-horse"
    with httpx.Client(base_url=stack.url("gateway"), timeout=30) as client:
        created = client.post(
            "/api/v1/auth/register",
            json={"email": email, "password": password, "display_name": "JWT"},
        )
        assert created.status_code == 201, created.text
        login = client.post("/api/v1/auth/login", json={"email": email, "password": password})
        assert login.status_code == 200, login.text
        jwks = client.get("/.well-known/jwks.json").json()
    key_file = max((stack.data_dir / "keys").glob("*.pem"), key=lambda p: p.stem)
    return {
        "token": login.json()["access_token"],
        "jwks": jwks,
        "key_file": key_file,
    }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256(claims: dict[str, Any], secret: bytes, kid: str) -> str:
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    body = _b64(json.dumps(claims).encode())
    mac = hmac.new(secret, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{_b64(mac)}"


def _attack_tokens(session: dict[str, Any]) -> dict[str, str]:
    token: str = session["token"]
    key_file: Path = session["key_file"]
    kid = jwt.get_unverified_header(token)["kid"]
    claims = jwt.decode(token, options={"verify_signature": False})
    real_key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    assert isinstance(real_key, Ed25519PrivateKey)
    public_pem = real_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    jwk = next(k for k in session["jwks"]["keys"] if k["kid"] == kid)
    now = int(time.time())

    def signed(**changes: Any) -> str:
        return jwt.encode({**claims, **changes}, real_key, algorithm="EdDSA", headers={"kid": kid})

    header, payload, signature = token.split(".")
    forged_payload = _b64(json.dumps({**claims, "sub": "someone-else", "role": "admin"}).encode())
    flipped = signature[:-4] + ("AAAA" if not signature.endswith("AAAA") else "BBBB")
    return {
        "alg none": jwt.encode(claims, None, algorithm="none", headers={"kid": kid}),
        "HS256 keyed with the public key PEM": _hs256(claims, public_pem, kid),
        "HS256 keyed with the JWK x value": _hs256(claims, jwk["x"].encode(), kid),
        "expired": signed(exp=now - 120, iat=now - 1000),
        "not yet valid": signed(nbf=now + 600, iat=now),
        "wrong issuer": signed(iss="https://issuer.invalid"),
        "wrong audience": signed(aud="another-app"),
        "unknown kid": jwt.encode(
            claims, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": "k-unknown"}
        ),
        "foreign key under the real kid": jwt.encode(
            claims, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": kid}
        ),
        "tampered payload": f"{header}.{forged_payload}.{signature}",
        "tampered signature": f"{header}.{payload}.{flipped}",
        "refresh-typed token": signed(typ="refresh"),
    }


ATTACKS = [
    "alg none",
    "HS256 keyed with the public key PEM",
    "HS256 keyed with the JWK x value",
    "expired",
    "not yet valid",
    "wrong issuer",
    "wrong audience",
    "unknown kid",
    "foreign key under the real kid",
    "tampered payload",
    "tampered signature",
    "refresh-typed token",
]


def test_positive_control_real_and_self_signed_tokens_pass(stack, session):
    kid = jwt.get_unverified_header(session["token"])["kid"]
    claims = jwt.decode(session["token"], options={"verify_signature": False})
    real_key = serialization.load_pem_private_key(session["key_file"].read_bytes(), None)
    resigned = jwt.encode(claims, real_key, algorithm="EdDSA", headers={"kid": kid})
    for token in (session["token"], resigned):
        for base in (stack.url("gateway"), stack.url("auth")):
            response = httpx.get(base + ME, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 200, response.text


@pytest.mark.parametrize("attack", ATTACKS)
def test_attack_is_401_at_the_gateway_and_at_the_service(stack, session, attack):
    token = _attack_tokens(session)[attack]
    for base in (stack.url("gateway"), stack.url("auth")):
        response = httpx.get(base + ME, headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert response.status_code == 401, (base, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        body = response.json()
        assert body["status"] == 401
        assert body["request_id"] == response.headers["x-request-id"]
