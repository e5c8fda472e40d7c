"""A bounded in-memory memo of computed facts, valid for the telemetry snapshot they came from.

Facts depend only on the session's data and the analysis parameters, never on the caller, so
one computation serves every caller until telemetry-svc publishes a newer snapshot. Each use
revalidates with a conditional GET of the session info (telemetry answers 304 from its fast
path while the snapshot is unchanged); a new ETag recomputes, so a newer snapshot is never
answered with stale facts. Entries keep the facts' JSON bytes too, so a warm response is
assembled from bytes instead of validated and re-serialised.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from pitwall_analysis import metrics
from pitwall_analysis.services.telemetry_source import SessionKey, TelemetrySource
from pitwall_shared.responses import dumps


@dataclass(frozen=True)
class MemoEntry:
    etag: str
    session: dict[str, Any]
    facts: dict[str, Any]
    session_json: bytes
    facts_json: bytes
    # The race-weekend analyses' typed facts, which their table variants read.
    typed: BaseModel | None = None

    @property
    def size(self) -> int:
        """What the byte bound counts: the serialised size, a stable proxy for the objects."""
        return len(self.session_json) + len(self.facts_json)


class FactsMemo:
    """Least recently used entries go first once either bound is exceeded."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.computations = 0  # how many times facts were computed rather than reused
        self._entries: OrderedDict[Hashable, MemoEntry] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        return self._bytes

    def get(self, key: Hashable) -> MemoEntry | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: Hashable, entry: MemoEntry) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old.size
        if self.max_entries <= 0 or entry.size > self.max_bytes:
            return  # too large to keep without evicting everything else
        self._entries[key] = entry
        self._bytes += entry.size
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= evicted.size


Computation = Callable[[], Awaitable[tuple[dict[str, Any], dict[str, Any] | BaseModel]]]


async def memoized(memo: FactsMemo, source: TelemetrySource, key: SessionKey, kind: str,
                   params: Hashable, compute: Computation) -> MemoEntry:
    """The memo's entry when the snapshot is unchanged, else freshly computed facts.

    The session info fetched to revalidate is the one the computation reads, so a cold
    request costs no extra call to telemetry-svc.
    """
    memo_key = (kind, key.year, key.event, key.session, params)
    entry = memo.get(memo_key)
    etag = await source.revalidate(key, entry.etag if entry else None)
    if entry is not None and etag == entry.etag:
        metrics.FACTS_MEMO_REQUESTS.labels("hit").inc()
        return entry
    metrics.FACTS_MEMO_REQUESTS.labels("miss").inc()
    session, facts = await compute()
    memo.computations += 1
    typed = facts if isinstance(facts, BaseModel) else None
    plain = facts.model_dump(mode="json") if isinstance(facts, BaseModel) else facts
    fresh = MemoEntry(etag or "", session, plain, dumps(session), dumps(plain), typed)
    if etag:  # without a validator there is no way to know when it goes stale
        memo.put(memo_key, fresh)
    return fresh


def response_body(kind: str, entry: MemoEntry, narrative: BaseModel, *,
                  kind_first: bool) -> bytes:
    """The analysis envelope from the memo's bytes, keys in the order each route always sent
    (the race-weekend models put their ``kind`` and ``facts`` after the envelope's fields)."""
    kind_json, insights = dumps(kind), dumps(narrative.model_dump(mode="json"))
    if kind_first:
        return (b'{"kind":' + kind_json + b',"session":' + entry.session_json + b',"facts":'
                + entry.facts_json + b',"insights":' + insights + b"}")
    return (b'{"session":' + entry.session_json + b',"insights":' + insights + b',"kind":'
            + kind_json + b',"facts":' + entry.facts_json + b"}")
