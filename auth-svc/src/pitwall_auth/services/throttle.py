"""Login limit with lockout, per email, identical for accounts that do not exist."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_auth.repositories import throttle as throttle_repo
from pitwall_shared.problems import ProblemError


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int
    window: timedelta
    lockout: timedelta


def email_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


async def ensure_not_locked(session: AsyncSession, key: str, now: datetime) -> None:
    row = await throttle_repo.get(session, key)
    if row is not None and row.locked_until is not None and row.locked_until > now:
        retry_after = max(1, math.ceil((row.locked_until - now).total_seconds()))
        raise ProblemError(
            429,
            "Too many failed sign-in attempts for this email. Try again later.",
            slug="login-locked",
            headers={"Retry-After": str(retry_after)},
        )


async def record_failure(
    session: AsyncSession, key: str, policy: ThrottlePolicy, now: datetime
) -> None:
    row = await throttle_repo.lock_or_create(session, key, now)
    if now - row.window_started_at > policy.window or (
        row.locked_until is not None and row.locked_until <= now
    ):
        # The old window (or a served lockout) is over: count from scratch.
        row.failures, row.window_started_at, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= policy.max_failures:
        row.locked_until = now + policy.lockout
    await session.flush()


async def record_success(session: AsyncSession, key: str) -> None:
    await throttle_repo.clear(session, key)
