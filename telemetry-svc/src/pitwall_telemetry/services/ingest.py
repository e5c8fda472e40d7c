"""Who may make the service load a session that is not in the store, and how soon a failed
load is tried again.

A load costs the upstream and this machine far more than a read (seconds of CPU, hundreds of
MB), so a deployment can limit it: ``TELEMETRY_INGEST_POLICY`` ``any`` (every signed-in
caller), ``admin`` (tokens whose ``role`` claim is ``admin``) or ``none`` (serve the store
only), plus a year range. Sessions already in the store are served to everyone either way.

A failed load is not retried on every request: each session waits 30 s after its first
failure, doubling up to an hour, and a request in that time is answered with the failure and
``Retry-After`` at once. A success forgets the failures.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from pitwall_shared.problems import ProblemError
from pitwall_shared.tokens import Identity
from pitwall_telemetry.loading.errors import LoadError
from pitwall_telemetry.services.resolve import last_year
from pitwall_telemetry.snapshots.store import SessionId

IngestPolicyName = Literal["any", "admin", "none"]
FIRST_BACKOFF_S = 30.0
MAX_BACKOFF_S = 3600.0
# failures that say the data is not there (not that the source is unwell) keep their 404
NOT_THERE = ("not_found", "not_available")


@dataclass(frozen=True)
class IngestPolicy:
    policy: IngestPolicyName
    min_year: int
    max_year: int | None  # None: through next season, whatever year it is now

    def check(self, session: SessionId, caller: Identity | None, label: str) -> None:
        """Refuse (403 policy, 422 year) loading ``session``; ``caller=None`` is the operator's
        own ``ingest`` command, which the policy does not restrict."""
        if caller is None:
            return
        if self.policy == "none" or (self.policy == "admin" and not caller.is_admin):
            who = "is switched off on this server" if self.policy == "none" \
                else "is limited to administrators on this server"
            raise ProblemError(403, f"{label} is not in the snapshot store, and loading "
                               f"sessions that are not {who}.", slug="ingest-not-allowed",
                               title="Session not in the store", ingest_policy=self.policy)
        high = self.max_year or last_year()
        if not self.min_year <= session.year <= high:
            raise ProblemError(422, f"{label} is not in the snapshot store, and this server "
                               f"loads sessions from {self.min_year} to {high} only.",
                               slug="ingest-year-not-allowed",
                               title="Session not in the store",
                               valid_range=[self.min_year, high])


@dataclass
class _Failure:
    error: LoadError
    count: int
    failed_at: float
    retry_at: float


class LoadBackoff:
    """Per session, in memory: the last failure and when the next load may start."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._failures: dict[str, _Failure] = {}

    def record_failure(self, session: SessionId, error: LoadError) -> None:
        previous = self._failures.get(session.key)
        count = previous.count + 1 if previous else 1
        delay = min(FIRST_BACKOFF_S * 2 ** (count - 1), MAX_BACKOFF_S)
        delay = max(delay, float(error.retry_after or 0))  # never sooner than the source asks
        now = self.clock()
        self._failures[session.key] = _Failure(error, count, now, now + delay)

    def forget(self, session: SessionId) -> None:
        self._failures.pop(session.key, None)

    def retry_after_s(self, session: SessionId) -> int | None:
        """Whole seconds until ``session`` may be loaded again, or None when it may now."""
        failure = self._failures.get(session.key)
        if failure is None:
            return None
        remaining = failure.retry_at - self.clock()
        return math.ceil(remaining) if remaining > 0 else None

    def check(self, session: SessionId, label: str) -> None:
        """Raise the remembered failure while ``session`` is backing off."""
        wait = self.retry_after_s(session)
        if wait is None:
            return
        failure = self._failures[session.key]
        error = failure.error
        ago = round(self.clock() - failure.failed_at)
        detail = (f"Loading {label} failed {ago} s ago ({error.detail.rstrip('.')}); it is "
                  f"tried again in {wait} s, after {failure.count} failed "
                  f"attempt{'s' if failure.count > 1 else ''}.")
        status = 404 if error.kind in NOT_THERE else 503
        slug = f"data-{error.kind.replace('_', '-')}" if status == 404 else "load-backing-off"
        raise ProblemError(status, detail, slug=slug, headers={"Retry-After": str(wait)},
                           failure=error.kind, retry_after_s=wait, attempts=failure.count)
