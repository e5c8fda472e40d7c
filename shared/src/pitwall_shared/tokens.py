"""JWT verification against a cached JWKS (EdDSA), shared by the gateway and every service."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from pitwall_shared.problems import ProblemError

ALLOWED_ALGORITHMS = ["EdDSA"]
# Refetch at most this often when a token names a kid we do not know (key rotation).
UNKNOWN_KID_REFRESH_SECONDS = 10.0


@dataclass(frozen=True)
class Identity:
    """Who is calling, as the access token says."""

    user_id: str
    role: str
    token: str
    claims: dict[str, Any]

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def unauthorized(detail: str) -> ProblemError:
    return ProblemError(
        401,
        detail,
        slug="unauthorized",
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


class JwksKeyStore:
    """Holds the issuer's public keys; refreshes on expiry or on an unknown ``kid``."""

    def __init__(self, jwks_url: str, client: httpx.AsyncClient, cache_seconds: int = 300):
        self._url = jwks_url
        self._client = client
        self._cache_seconds = cache_seconds
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    def load_jwks(self, jwks: dict[str, Any]) -> None:
        keys: dict[str, jwt.PyJWK] = {}
        for entry in jwks.get("keys", []):
            kid = entry.get("kid")
            if kid and entry.get("use", "sig") == "sig":
                keys[kid] = jwt.PyJWK(entry)
        self._keys = keys
        self._fetched_at = time.monotonic()

    async def _refresh(self, *, min_age: float) -> None:
        async with self._lock:
            if time.monotonic() - self._fetched_at < min_age:
                return
            try:
                response = await self._client.get(self._url, timeout=3.0)
                response.raise_for_status()
                self.load_jwks(response.json())
            except (httpx.HTTPError, ValueError) as exc:
                if not self._keys:
                    raise ProblemError(
                        503,
                        "Token keys are unavailable: the auth service cannot be reached.",
                        slug="auth-unavailable",
                        headers={"Retry-After": "2"},
                    ) from exc

    async def key_for(self, kid: str) -> jwt.PyJWK:
        if time.monotonic() - self._fetched_at > self._cache_seconds:
            await self._refresh(min_age=self._cache_seconds)
        key = self._keys.get(kid)
        if key is None:
            await self._refresh(min_age=UNKNOWN_KID_REFRESH_SECONDS)
            key = self._keys.get(kid)
        if key is None:
            raise unauthorized("The token was signed with an unknown key.")
        return key


class TokenVerifier:
    def __init__(self, keys: JwksKeyStore, *, issuer: str, audience: str) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience

    async def verify(self, token: str) -> Identity:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise unauthorized("The token is malformed.") from exc
        if header.get("alg") not in ALLOWED_ALGORITHMS:
            raise unauthorized("The token's signing algorithm is not accepted.")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise unauthorized("The token has no key id.")
        key = await self._keys.key_for(kid)
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=ALLOWED_ALGORITHMS,
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
                leeway=5,
            )
        except jwt.ExpiredSignatureError as exc:
            raise unauthorized("The token has expired.") from exc
        except jwt.ImmatureSignatureError as exc:
            raise unauthorized("The token is not valid yet.") from exc
        except jwt.InvalidAudienceError as exc:
            raise unauthorized("The token is for another audience.") from exc
        except jwt.InvalidIssuerError as exc:
            raise unauthorized("The token comes from an unknown issuer.") from exc
        except jwt.PyJWTError as exc:
            raise unauthorized("The token is invalid.") from exc
        if claims.get("typ") != "access":
            raise unauthorized("Only access tokens are accepted here.")
        return Identity(
            user_id=str(claims["sub"]),
            role=str(claims.get("role", "user")),
            token=token,
            claims=claims,
        )


def bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise unauthorized("Authentication required: send 'Authorization: Bearer <token>'.")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("The Authorization header must be 'Bearer <token>'.")
    return token.strip()
