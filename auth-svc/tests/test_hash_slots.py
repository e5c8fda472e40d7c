"""The hashing line refuses a caller who would wait past the gateway's timeout.

A 504 at the gateway counts against auth-svc in its circuit breaker; enough of them during a
sign-in burst would pause every sign-in for everyone. So the line is bounded by expected
wait as well as by length (the real argon2id work runs; nothing is faked)."""

from __future__ import annotations

import asyncio
import time

import pytest
from argon2 import PasswordHasher

from pitwall_auth.hash_slots import HashSlots
from pitwall_shared.problems import ProblemError

# A cheap real hash: the line's rules, not argon2id's cost, are under test here.
HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


async def _hash_in_line(slots: HashSlots, gate: asyncio.Event) -> str:
    with slots.admission():
        await gate.wait()
        return await slots.run(HASHER.hash, "a-long-passphrase")


async def test_a_caller_who_would_wait_too_long_is_refused_at_once() -> None:
    slots = HashSlots(slots=2, queue_limit=100, max_wait_seconds=4.0)
    slots._recent_seconds = 1.5  # hashes have been taking 1.5 s each lately
    gate = asyncio.Event()
    try:
        # Two run and two wait: a newcomer would wait two rounds (3 s), within the bound.
        line = [asyncio.create_task(_hash_in_line(slots, gate)) for _ in range(4)]
        await asyncio.sleep(0)
        assert slots.expected_wait() == pytest.approx(3.0)
        line += [asyncio.create_task(_hash_in_line(slots, gate)) for _ in range(2)]
        await asyncio.sleep(0)
        # Two run and four wait: the next would wait three rounds (4.5 s), past the bound.
        assert slots.expected_wait() == pytest.approx(4.5)
        with pytest.raises(ProblemError) as refused, slots.admission():
            pass
        assert refused.value.status == 503
        assert int(refused.value.headers["Retry-After"]) >= 1
        gate.set()
        hashes = await asyncio.gather(*line)
        assert all(HASHER.verify(h, "a-long-passphrase") for h in hashes)
        # The line has drained: a newcomer is admitted again.
        assert slots.expected_wait() == 0
        with slots.admission():
            pass
    finally:
        slots.close()


async def test_the_length_bound_still_holds_when_hashes_are_fast() -> None:
    slots = HashSlots(slots=1, queue_limit=1, max_wait_seconds=60.0)
    slots._recent_seconds = 0.01
    gate = asyncio.Event()
    try:
        line = [asyncio.create_task(_hash_in_line(slots, gate)) for _ in range(2)]
        await asyncio.sleep(0)
        with pytest.raises(ProblemError) as refused, slots.admission():
            pass
        assert refused.value.status == 503
        gate.set()
        await asyncio.gather(*line)
    finally:
        slots.close()


async def test_work_that_waited_past_the_bound_is_refused_when_its_turn_comes() -> None:
    # The pace estimate starts low, so a sudden burst is admitted whole; the wait itself is
    # still bounded: a hash that would start too late answers 503 instead of running.
    slots = HashSlots(slots=1, queue_limit=10, max_wait_seconds=0.2)
    try:
        slow = asyncio.create_task(slots.run(_sleep_then_hash, 0.5))
        await asyncio.sleep(0.01)
        with pytest.raises(ProblemError) as refused:
            await slots.run(HASHER.hash, "a-long-passphrase")
        assert refused.value.status == 503
        assert HASHER.verify(await slow, "a-long-passphrase")
        # Nothing waits now: the next hash runs.
        assert HASHER.verify(await slots.run(HASHER.hash, "x-long-passphrase"),
                             "x-long-passphrase")
    finally:
        slots.close()


def _sleep_then_hash(seconds: float) -> str:
    time.sleep(seconds)
    return HASHER.hash("a-long-passphrase")
