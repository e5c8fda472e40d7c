"""A memory of access tokens that verified, in front of ``TokenVerifier``.

Verifying an EdDSA signature costs more than the rest of a warm request (the gateway's hop,
telemetry-svc's cached answer), and a client repeats the same token for many requests. A
token that verified once is accepted again until its own ``exp``, and at most ``ttl_seconds``
after it was checked; failures are never remembered, so a bad token is re-checked (and
refused) every time. Entries are keyed by a digest of the token, oldest dropped first.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from typing import Protocol

from pitwall_shared.tokens import Identity


class Verifier(Protocol):
    async def verify(self, token: str) -> Identity: ...


def _digest(token: str) -> bytes:
    return hashlib.blake2b(token.encode(), digest_size=16).digest()


class MemoizedVerifier:
    def __init__(self, inner: Verifier, ttl_seconds: float, max_entries: int = 10_000) -> None:
        self.inner = inner
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._verified: OrderedDict[bytes, tuple[Identity, float]] = OrderedDict()

    def known(self, token: str) -> Identity | None:
        """The identity of a token that verified before and is still remembered, else None."""
        known = self._verified.get(_digest(token))
        if known is not None and known[1] > time.time():
            return known[0]
        return None

    async def verify(self, token: str) -> Identity:
        known = self.known(token)
        if known is not None:
            return known
        identity = await self.inner.verify(token)
        if self.ttl_seconds > 0:
            now = time.time()
            key = _digest(token)
            expires = float(identity.claims.get("exp", now))
            self._verified[key] = (identity, min(expires, now + self.ttl_seconds))
            self._verified.move_to_end(key)
            while len(self._verified) > self.max_entries:
                self._verified.popitem(last=False)
        return identity
