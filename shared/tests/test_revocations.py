"""Voiding a user's earlier access tokens through the Redis on 127.0.0.1: the announcer
records and publishes, followers learn it live or when they start, and nothing breaks
without Redis."""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from collections.abc import Iterator

import pytest
import redis

from pitwall_shared.revocations import RevocationAnnouncer, RevokedTokens
from pitwall_shared.testing import LOCAL_REDIS_URL, free_port, redis_key_prefix


@pytest.fixture
def prefix() -> Iterator[str]:
    with redis_key_prefix("pitwall-revocations-test") as name:
        yield name


async def until(condition, seconds: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_a_follower_learns_of_a_revocation_as_it_happens(prefix: str) -> None:
    follower = RevokedTokens(LOCAL_REDIS_URL, prefix=prefix)
    follower.start()
    await asyncio.wait_for(follower.following.wait(), 5)
    announcer = RevocationAnnouncer(LOCAL_REDIS_URL, keep_seconds=60, prefix=prefix)
    user = f"user-{uuid.uuid4().hex[:8]}"
    before = math.floor(time.time())
    valid_from = await announcer.void_tokens_of(user)
    assert valid_from == before + 1 or valid_from == before + 2
    assert time.time() >= valid_from  # answered only once new tokens are valid again
    await until(lambda: follower.is_void(user, valid_from - 1))
    assert not follower.is_void(user, valid_from)  # issued after the change
    assert not follower.is_void("someone-else", valid_from - 1)
    assert follower.is_void(user, None)  # a token that cannot prove its age
    stored = redis.Redis.from_url(LOCAL_REDIS_URL)
    key = f"{prefix}:revoked:{user}"
    assert int(stored.get(key)) == valid_from and 0 < stored.ttl(key) <= 60
    stored.close()
    await announcer.close()
    await follower.close()


async def test_a_follower_started_later_reads_the_records(prefix: str) -> None:
    announcer = RevocationAnnouncer(LOCAL_REDIS_URL, keep_seconds=60, prefix=prefix)
    user = f"user-{uuid.uuid4().hex[:8]}"
    valid_from = await announcer.void_tokens_of(user)
    assert valid_from is not None
    follower = RevokedTokens(LOCAL_REDIS_URL, prefix=prefix)
    follower.start()
    await asyncio.wait_for(follower.following.wait(), 5)
    assert follower.is_void(user, valid_from - 1)
    await announcer.close()
    await follower.close()


async def test_an_ended_sign_in_voids_its_tokens_only(prefix: str) -> None:
    """A logout names the sign-in (``sid``): its tokens are void whatever their age, other
    sign-ins of the same user are not; followers learn it live and when they start."""
    live = RevokedTokens(LOCAL_REDIS_URL, prefix=prefix)
    live.start()
    await asyncio.wait_for(live.following.wait(), 5)
    announcer = RevocationAnnouncer(LOCAL_REDIS_URL, keep_seconds=60, prefix=prefix)
    user, ended, other = "user-1", f"sid-{uuid.uuid4().hex}", f"sid-{uuid.uuid4().hex}"
    now = time.time()
    assert await announcer.end_session(ended) is True
    await until(lambda: live.is_void(user, now + 3600, ended))
    assert not live.is_void(user, now, other)
    assert not live.is_void(user, now)  # a token without sid is judged by the user record
    later = RevokedTokens(LOCAL_REDIS_URL, prefix=prefix)
    later.start()
    await asyncio.wait_for(later.following.wait(), 5)
    assert later.is_void("anyone", now, ended) and not later.is_void("anyone", now, other)
    stored = redis.Redis.from_url(LOCAL_REDIS_URL)
    assert 0 < stored.ttl(f"{prefix}:ended-session:{ended}") <= 60
    stored.close()
    for closing in (announcer.close(), live.close(), later.close()):
        await closing


async def test_without_redis_nothing_is_announced_or_refused() -> None:
    announcer = RevocationAnnouncer(None, keep_seconds=60)
    started = time.monotonic()
    assert await announcer.void_tokens_of("u-1") is None
    assert await announcer.end_session("sid-1") is False
    assert time.monotonic() - started < 0.5  # no waiting either
    follower = RevokedTokens(None)
    follower.start()
    assert not follower.is_void("u-1", 0)
    await follower.close()


async def test_an_unreachable_redis_fails_soft_and_the_follower_keeps_trying() -> None:
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    announcer = RevocationAnnouncer(nowhere, keep_seconds=60)
    assert await announcer.void_tokens_of("u-1") is None
    follower = RevokedTokens(nowhere, retry_seconds=0.05)
    follower.start()
    await asyncio.sleep(0.3)  # several failed attempts, none of them fatal
    assert not follower.following.is_set() and not follower.is_void("u-1", 0)
    await follower.close()
    await announcer.close()


@pytest.mark.parametrize("after", [0, 0.0005, 0.001, 0.002, 0.005, 0.02])
async def test_close_ends_the_follower_whatever_it_was_doing(after: float) -> None:
    # A cancellation landing while redis-py connects used to be swallowed: close hung.
    follower = RevokedTokens(LOCAL_REDIS_URL)
    follower.start()
    await asyncio.sleep(after)
    await asyncio.wait_for(follower.close(), 3)
