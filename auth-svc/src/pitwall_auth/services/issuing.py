"""Signing access tokens with the newest key, in the exact shape ``TokenVerifier`` checks."""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt

from pitwall_auth.keys import KeyRing
from pitwall_shared.tokens import JwksKeyStore, unauthorized


class AccessTokenIssuer:
    def __init__(self, ring: KeyRing, *, issuer: str, audience: str) -> None:
        self._ring = ring
        self._issuer = issuer
        self._audience = audience

    def issue(
        self, *, subject: str, role: str, ttl_seconds: int, session_id: str | None = None
    ) -> str:
        key = self._ring.signing_key()
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": subject,
            "role": role,
            "typ": "access",
            "iss": self._issuer,
            "aud": self._audience,
            "iat": now,
            "nbf": now,
            "exp": now + ttl_seconds,
            "jti": uuid.uuid4().hex,
        }
        if session_id is not None:  # service tokens belong to no sign-in
            claims["sid"] = session_id
        return jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})


class KeyRingKeyStore(JwksKeyStore):
    """Verification keys straight from this process's key ring.

    auth-svc checks its own tokens with the shared ``TokenVerifier`` but has no reason to
    fetch its own JWKS over HTTP.
    """

    def __init__(self, ring: KeyRing) -> None:  # no HTTP client: nothing is fetched
        self._ring = ring

    async def key_for(self, kid: str) -> jwt.PyJWK:
        key = self._ring.find(kid)
        if key is None:
            raise unauthorized("The token was signed with an unknown key.")
        return jwt.PyJWK(key.public_jwk())
