"""Deleting rows that can no longer matter: expired refresh tokens, finished lockouts."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitwall_auth.models import utcnow
from pitwall_auth.repositories import refresh_tokens as tokens_repo
from pitwall_auth.repositories import throttle as throttle_repo
from pitwall_auth.services.throttle import ThrottlePolicy

log = logging.getLogger("pitwall.auth.housekeeping")


@dataclass(frozen=True)
class Purged:
    refresh_tokens: int
    throttle_rows: int


async def purge(session: AsyncSession, policy: ThrottlePolicy) -> Purged:
    # Spent and revoked tokens stay until they expire: a reuse is detected only while the
    # spent token is still on file.
    now = utcnow()
    tokens = await tokens_repo.delete_expired(session, now)
    rows = await throttle_repo.delete_stale(
        session, now - policy.window, now - policy.max_lockout, now
    )
    return Purged(refresh_tokens=tokens, throttle_rows=rows)


async def purge_forever(
    factory: async_sessionmaker[AsyncSession], policy: ThrottlePolicy, interval_seconds: float
) -> None:
    """Runs in the background for the life of the app; every replica may run it."""
    while True:
        await asyncio.sleep(interval_seconds)
        try:
            async with factory.begin() as session:
                purged = await purge(session, policy)
            if purged.refresh_tokens or purged.throttle_rows:
                log.info("purged %s", purged)
        except (SQLAlchemyError, OSError):
            log.warning("housekeeping skipped: database unavailable", exc_info=True)
