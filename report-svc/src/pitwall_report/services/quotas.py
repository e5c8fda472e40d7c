"""Per-user quotas on report jobs: how many may wait or run at once, and how many are kept.

Checked under the owner's lock row (``repositories.reports.lock_owner``), so a burst of
concurrent requests from one user cannot slip past the limit together.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_report.repositories import reports as repo
from pitwall_shared.problem_types import quota_exceeded

# A report takes seconds; by then one of the caller's queued or running jobs has usually ended.
ACTIVE_RETRY_AFTER_S = 15


@dataclass(frozen=True)
class Quotas:
    max_active_jobs: int
    max_stored_reports: int


async def admit(session: AsyncSession, owner_id: str, quotas: Quotas, *,
                adds_report: bool) -> None:
    """Raise a 429 problem unless the owner has room for one more queued job (and, when
    ``adds_report``, one more stored report). Must run first in its transaction."""
    await repo.lock_owner(session, owner_id)
    active, stored = await repo.owner_counts(session, owner_id)
    if adds_report and stored >= quotas.max_stored_reports:
        raise quota_exceeded(
            f"You have {stored} reports stored; the limit is {quotas.max_stored_reports}. "
            "Delete old reports (DELETE /api/v1/reports/{id}) to make room for new ones.",
            quota="stored_reports", limit=quotas.max_stored_reports, current=stored,
        )
    if active >= quotas.max_active_jobs:
        raise quota_exceeded(
            f"You have {active} reports queued or running; the limit is "
            f"{quotas.max_active_jobs} at once. Retry when one has finished.",
            quota="active_jobs", limit=quotas.max_active_jobs, current=active,
            retry_after_s=ACTIVE_RETRY_AFTER_S,
        )
