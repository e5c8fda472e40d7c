"""Access-token checks at the edge, with a short memory of tokens already verified."""

from __future__ import annotations

import hashlib
import time

from pitwall_shared.tokens import Identity, TokenVerifier


class CachedTokenVerifier:
    """Verifies with the shared verifier; remembers good tokens by digest for a few seconds.

    A signature check costs about as much as the rest of the proxy path, and a browser sends
    the same token many times a minute. Entries never outlive the token's own ``exp``, and
    services verify the token again anyway.
    """

    def __init__(self, verifier: TokenVerifier, ttl_seconds: float, max_entries: int = 10_000):
        self._verifier = verifier
        self._ttl = ttl_seconds
        self._max_entries = max_entries
        self._verified: dict[bytes, tuple[Identity, float]] = {}

    async def verify(self, token: str) -> Identity:
        key = hashlib.blake2b(token.encode(), digest_size=16).digest()
        now = time.time()
        hit = self._verified.get(key)
        if hit is not None:
            identity, valid_until = hit
            if now < valid_until:
                return identity
            del self._verified[key]
        identity = await self._verifier.verify(token)
        if self._ttl > 0:
            expires = float(identity.claims.get("exp", now))
            if len(self._verified) >= self._max_entries:
                # Drop the oldest entry (dicts keep insertion order).
                self._verified.pop(next(iter(self._verified)))
            self._verified[key] = (identity, min(now + self._ttl, expires))
        return identity
