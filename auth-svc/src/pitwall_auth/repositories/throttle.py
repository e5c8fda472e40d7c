"""All SQL touching ``login_throttle``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects.mysql import insert as mysql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_auth.models import LoginThrottle


async def get(
    session: AsyncSession, email_key: str, *, for_update: bool = False
) -> LoginThrottle | None:
    query = select(LoginThrottle).where(LoginThrottle.email_key == email_key)
    if for_update:
        # populate_existing: the locked read must replace values this session saw earlier.
        query = query.with_for_update().execution_options(populate_existing=True)
    result = await session.execute(query)
    return result.scalar_one_or_none()


async def lock_or_create(session: AsyncSession, email_key: str, now: datetime) -> LoginThrottle:
    """The row for ``email_key``, created if missing, locked until the transaction ends.

    One upsert instead of select-then-insert: on MariaDB concurrent plain inserts of one key
    wait with shared locks and then deadlock when each tries to update; an upsert waits for
    the exclusive lock directly.
    """
    values = {"email_key": email_key, "failures": 0, "window_started_at": now}
    dialect = session.get_bind().dialect.name
    if dialect in ("mysql", "mariadb"):
        upsert = mysql_insert(LoginThrottle).values(values)
        # Assigning a column to itself changes nothing but takes the row lock.
        await session.execute(upsert.on_duplicate_key_update(email_key=upsert.inserted.email_key))
    else:
        await session.execute(sqlite_insert(LoginThrottle).values(values).on_conflict_do_nothing())
    row = await get(session, email_key, for_update=True)
    assert row is not None  # it exists now and we hold its lock
    return row


async def clear(session: AsyncSession, email_key: str) -> None:
    await session.execute(delete(LoginThrottle).where(LoginThrottle.email_key == email_key))


async def delete_stale(session: AsyncSession, window_before: datetime, now: datetime) -> int:
    """Rows whose counting window ended and that hold no running lockout."""
    result = await session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.window_started_at < window_before,
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < now),
        )
    )
    assert isinstance(result, CursorResult)
    return int(result.rowcount)
