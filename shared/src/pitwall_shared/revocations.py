"""Ending access tokens before they expire: auth-svc announces, the gateway refuses.

Access tokens are self-contained, so the gateway cannot ask a database about each one. Two
kinds of record, each kept in Redis as long as an access token can live and published when
made:

- per user, "tokens issued before second N are void": a password change or an account
  deletion. N is the whole second after the announcement: token ``iat`` claims are whole
  seconds, and the announcer waits for N before answering, so a token issued after the
  change is never caught by it.
- per sign-in, "tokens with this ``sid`` are void": a logout, or a refresh token presented
  twice. The ``sid`` is the refresh-token family, which issues no further tokens once ended.

Every gateway holds these records in memory (read at start, then followed by
subscription), so the check per request is a dictionary lookup. Without Redis nothing is
announced and an access token lives until it expires.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import time
from typing import Any

import redis.asyncio as aioredis
from prometheus_client import Counter

log = logging.getLogger("pitwall.revocations")

DEFAULT_PREFIX = "pitwall"
# The longest an access token can live (auth-svc allows up to a day): records older than
# this can no longer match a valid token.
LONGEST_TOKEN_SECONDS = 24 * 3600
# Records are dropped from memory in passes at most this often: a logout is frequent.
PRUNE_EVERY_SECONDS = 60.0
ANNOUNCE_FAILURES = Counter(
    "pitwall_token_revocation_announce_failures_total",
    "Token revocations that could not be announced (the tokens run out on their own)",
)


def _key(prefix: str, user_id: str) -> str:
    return f"{prefix}:revoked:{user_id}"


def _session_key(prefix: str, session_id: str) -> str:
    return f"{prefix}:ended-session:{session_id}"


def _channel(prefix: str) -> str:
    return f"{prefix}:revocations"


class RevocationAnnouncer:
    """auth-svc's side: announces that a user's earlier access tokens are void."""

    def __init__(self, redis_url: str | None, *, keep_seconds: int,
                 prefix: str = DEFAULT_PREFIX) -> None:
        self._redis = aioredis.Redis.from_url(redis_url) if redis_url else None
        self._keep = keep_seconds
        self._prefix = prefix

    async def _announce(self, key: str, value: int, notice: dict[str, Any], what: str) -> bool:
        assert self._redis is not None
        try:
            await self._redis.set(key, value, ex=self._keep)
            await self._redis.publish(_channel(self._prefix), json.dumps(notice))
        except Exception:
            ANNOUNCE_FAILURES.inc()
            log.warning("could not announce the revocation of %s", what, exc_info=True)
            return False
        return True

    async def void_tokens_of(self, user_id: str) -> int | None:
        """Announce, then wait for the second from which new tokens are valid; returns it,
        or None when nothing could be announced (no Redis, or Redis failed)."""
        if self._redis is None:
            return None
        valid_from = math.floor(time.time()) + 1
        notice = {"user": user_id, "valid_from": valid_from}
        if not await self._announce(_key(self._prefix, user_id), valid_from, notice,
                                    f"{user_id}'s tokens"):
            return None
        await asyncio.sleep(max(0.0, valid_from - time.time()))
        return valid_from

    async def end_session(self, session_id: str) -> bool:
        """Announce that every access token of this sign-in is void; False when nothing
        could be announced. No waiting: the sign-in issues no tokens after this."""
        if self._redis is None:
            return False
        until = math.ceil(time.time()) + self._keep
        notice = {"sid": session_id, "until": until}
        return await self._announce(_session_key(self._prefix, session_id), until, notice,
                                    f"sign-in {session_id}")

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()


class RevokedTokens:
    """The gateway's side: which users' tokens issued before which second are void."""

    def __init__(self, redis_url: str | None, *, prefix: str = DEFAULT_PREFIX,
                 retry_seconds: float = 2.0) -> None:
        self._url = redis_url
        self._prefix = prefix
        self._retry = retry_seconds
        self._valid_from: dict[str, int] = {}
        self._ended_sessions: dict[str, int] = {}  # sid -> when its record lapses
        self._pruned_at = time.time()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.following = asyncio.Event()  # set while subscribed and loaded

    def is_void(self, user_id: str, issued_at: Any, session_id: Any = None) -> bool:
        if session_id is not None and str(session_id) in self._ended_sessions:
            return True
        valid_from = self._valid_from.get(user_id)
        if valid_from is None:
            return False
        try:
            return float(issued_at) < valid_from
        except (TypeError, ValueError):
            return True  # a token without a usable iat cannot prove it is newer

    def start(self) -> None:
        if self._url and self._task is None:
            self._task = asyncio.create_task(self._follow(), name="token-revocations")

    async def close(self) -> None:
        self._stopping = True
        task, self._task = self._task, None
        # redis-py can swallow a cancellation that lands while it connects, so keep asking.
        while task is not None and not task.done():
            task.cancel()
            await asyncio.wait({task}, timeout=0.2)
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                task.result()

    async def _follow(self) -> None:
        while not self._stopping:
            # Pings on a quiet subscription notice a connection that died without a word.
            client = aioredis.Redis.from_url(str(self._url), health_check_interval=30,
                                             socket_keepalive=True)
            try:
                async with client.pubsub() as pubsub:
                    # Subscribe before reading the records, so nothing falls between the two.
                    await pubsub.subscribe(_channel(self._prefix))
                    await self._load(client)
                    self.following.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._apply(json.loads(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception:
                self.following.clear()
                if self._stopping:
                    return
                log.warning("token revocations: Redis unavailable; retrying", exc_info=True)
                await asyncio.sleep(self._retry)
            finally:
                await client.aclose()

    async def _load(self, client: aioredis.Redis) -> None:
        async for key in client.scan_iter(match=_key(self._prefix, "*"), count=500):
            value = await client.get(key)
            if value is not None:
                user_id = key.decode().split(":revoked:", 1)[1]
                self._apply({"user": user_id, "valid_from": int(value)})
        async for key in client.scan_iter(match=_session_key(self._prefix, "*"), count=500):
            value = await client.get(key)
            if value is not None:
                session_id = key.decode().split(":ended-session:", 1)[1]
                self._apply({"sid": session_id, "until": int(value)})

    def _apply(self, notice: dict[str, Any]) -> None:
        if "sid" in notice:
            self._ended_sessions[str(notice["sid"])] = int(notice["until"])
        else:
            user_id, valid_from = str(notice["user"]), int(notice["valid_from"])
            self._valid_from[user_id] = max(valid_from, self._valid_from.get(user_id, 0))
        now = time.time()
        if now - self._pruned_at > PRUNE_EVERY_SECONDS:
            self._pruned_at = now
            horizon = now - LONGEST_TOKEN_SECONDS
            for stale in [u for u, v in self._valid_from.items() if v < horizon]:
                del self._valid_from[stale]
            for lapsed in [s for s, until in self._ended_sessions.items() if until < now]:
                del self._ended_sessions[lapsed]
