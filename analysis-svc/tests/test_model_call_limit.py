"""The per-user model-call limit: one budget across replicas when counted in Redis, a
moving window, and no model call when the counters cannot be reached."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import redis

from pitwall_analysis.narrative.limits import LIMIT_REACHED, LIMIT_UNCHECKED, ModelCallLimiter
from pitwall_shared.limit_storage import create_limit_storage
from pitwall_shared.testing import LOCAL_REDIS_URL, free_port, redis_key_prefix

REDIS_URL = LOCAL_REDIS_URL


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    with redis_key_prefix("pitwall-analysis-test") as prefix:
        yield prefix


async def test_replicas_counting_in_redis_share_one_budget(redis_prefix: str) -> None:
    replicas = [ModelCallLimiter(3, create_limit_storage(REDIS_URL, redis_prefix))
                for _ in range(2)]
    first, second = replicas
    assert await first.refusal("u-1") is None
    assert await first.refusal("u-1") is None
    assert await second.refusal("u-1") is None  # the third call of the hour, elsewhere
    assert await second.refusal("u-1") == LIMIT_REACHED
    assert await first.refusal("u-1") == LIMIT_REACHED
    assert await second.refusal("u-2") is None  # budgets are per user
    stored = redis.Redis.from_url(REDIS_URL)
    assert list(stored.scan_iter(match=f"{redis_prefix}*"))  # the counters really are there
    stored.close()
    for limiter in replicas:
        await limiter.close()


async def test_in_memory_counters_are_per_process() -> None:
    replicas = [ModelCallLimiter(1) for _ in range(2)]
    assert [await limiter.refusal("u-1") for limiter in replicas] == [None, None]
    assert await replicas[0].refusal("u-1") == LIMIT_REACHED
    for limiter in replicas:
        await limiter.close()


async def test_the_window_moves() -> None:
    limiter = ModelCallLimiter(2, window_s=1)
    assert await limiter.refusal("u-1") is None
    await asyncio.sleep(0.6)
    assert await limiter.refusal("u-1") is None
    assert await limiter.refusal("u-1") == LIMIT_REACHED
    await asyncio.sleep(0.6)  # the first call left the window, the second has not
    assert await limiter.refusal("u-1") is None
    assert await limiter.refusal("u-1") == LIMIT_REACHED
    await limiter.close()


async def test_zero_allows_no_call() -> None:
    limiter = ModelCallLimiter(0)
    assert await limiter.refusal("u-1") == LIMIT_REACHED
    await limiter.close()


async def test_unreachable_counter_store_refuses() -> None:
    nothing_listens = f"redis://127.0.0.1:{free_port()}/0"
    limiter = ModelCallLimiter(5, create_limit_storage(nothing_listens, "pitwall-analysis"))
    assert await limiter.refusal("u-1") == LIMIT_UNCHECKED
