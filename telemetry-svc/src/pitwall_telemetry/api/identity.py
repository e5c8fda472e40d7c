"""A verified-token memo in front of the shared verifier.

Verifying an EdDSA signature costs far more than serving a warm snapshot response, and a
client repeats the same access token for many requests. A token that verified once is
accepted again until its own ``exp`` (at most ``MAX_MEMO_SECONDS``); failures are never
remembered, so a bad token is re-checked (and rejected) every time.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Protocol

from pitwall_shared.tokens import Identity

MAX_MEMO_SECONDS = 300.0
MAX_TOKENS = 10_000


class Verifier(Protocol):
    async def verify(self, token: str) -> Identity: ...


class MemoizedVerifier:
    def __init__(self, inner: Verifier) -> None:
        self.inner = inner
        self._verified: OrderedDict[str, tuple[Identity, float]] = OrderedDict()

    def known(self, token: str) -> Identity | None:
        """The identity of a token that verified before and has not expired, else None."""
        known = self._verified.get(token)
        if known is not None and known[1] > time.time():
            return known[0]
        return None

    async def verify(self, token: str) -> Identity:
        now = time.time()
        known = self._verified.get(token)
        if known is not None and known[1] > now:
            return known[0]
        identity = await self.inner.verify(token)
        expires = float(identity.claims.get("exp", now))
        self._verified[token] = (identity, min(expires, now + MAX_MEMO_SECONDS))
        self._verified.move_to_end(token)
        while len(self._verified) > MAX_TOKENS:
            self._verified.popitem(last=False)
        return identity
