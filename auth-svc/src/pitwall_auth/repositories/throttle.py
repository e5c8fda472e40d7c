"""All SQL touching ``login_throttle``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.mysql import insert as mysql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_auth.models import LoginThrottle


async def get(session: AsyncSession, key: str) -> LoginThrottle | None:
    return await session.get(LoginThrottle, key)


async def lock_or_create(session: AsyncSession, key: str, now: datetime) -> LoginThrottle:
    """The row for ``key``, created if missing, locked until the transaction ends.

    One upsert instead of select-then-insert: on MariaDB concurrent plain inserts of one key
    wait with shared locks and then deadlock when each tries to update; an upsert waits for
    the exclusive lock directly. On SQLite the write takes the database's write lock, which
    serialises the same way.
    """
    values = {"throttle_key": key, "failures": 0, "window_started_at": now, "strikes": 0}
    dialect = session.get_bind().dialect.name
    if dialect in ("mysql", "mariadb"):
        upsert = mysql_insert(LoginThrottle).values(values)
        # Assigning a column to itself changes nothing but takes the row lock.
        await session.execute(
            upsert.on_duplicate_key_update(throttle_key=upsert.inserted.throttle_key)
        )
    else:
        await session.execute(sqlite_insert(LoginThrottle).values(values).on_conflict_do_nothing())
    # populate_existing: the locked read must replace values this session saw earlier.
    query = (
        select(LoginThrottle)
        .where(LoginThrottle.throttle_key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    row = (await session.execute(query)).scalar_one()
    return row


async def settle_success(session: AsyncSession, key: str, known_until: datetime | None) -> None:
    """The password was right: this key starts over (and its address is now known)."""
    await session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.throttle_key == key)
        .values(failures=0, locked_until=None, strikes=0, known_until=known_until)
    )


async def refund(session: AsyncSession, key: str) -> None:
    """Take back one attempt counted in advance: it turned out not to be a failure."""
    await session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.throttle_key == key, LoginThrottle.failures > 0)
        .values(failures=LoginThrottle.failures - 1)
    )


async def delete_stale(
    session: AsyncSession, window_before: datetime, lock_before: datetime, now: datetime
) -> int:
    """Rows whose counting window ended, whose last lockout is long over (its strikes no
    longer matter) and that mark no known address."""
    result = await session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.window_started_at < window_before,
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < lock_before),
            or_(LoginThrottle.known_until.is_(None), LoginThrottle.known_until < now),
        )
    )
    assert isinstance(result, CursorResult)
    return int(result.rowcount)
