"""The facts memo's bounds: least recently used entries go first, by count and by bytes."""

from __future__ import annotations

from pitwall_analysis.services.facts_memo import FactsMemo, MemoEntry


def entry(size: int) -> MemoEntry:
    return MemoEntry('"e"', {}, {}, b"", b"x" * size)


def test_the_memo_evicts_the_least_recently_used_by_count() -> None:
    memo = FactsMemo(max_entries=2, max_bytes=1000)
    memo.put("a", entry(1))
    memo.put("b", entry(1))
    assert memo.get("a") is not None  # now "b" is the least recently used
    memo.put("c", entry(1))
    assert memo.get("b") is None
    assert memo.get("a") is not None and memo.get("c") is not None
    assert len(memo) == 2


def test_the_memo_stays_within_its_byte_bound() -> None:
    memo = FactsMemo(max_entries=100, max_bytes=250)
    for name in "abc":
        memo.put(name, entry(100))
    assert memo.bytes <= 250
    assert [memo.get(name) is not None for name in "abc"] == [False, True, True]
    memo.put("huge", entry(251))  # larger than the whole bound: not kept, nothing evicted
    assert memo.get("huge") is None and len(memo) == 2
    memo.put("b", entry(10))  # replacing an entry accounts for the old one's bytes
    assert memo.bytes == 110
