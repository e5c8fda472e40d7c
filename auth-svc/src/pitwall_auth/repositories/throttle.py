"""All SQL touching ``login_throttle``."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_auth.models import LoginThrottle


async def get(session: AsyncSession, email_key: str) -> LoginThrottle | None:
    # FOR UPDATE so two concurrent failures for one email count twice, not once.
    result = await session.execute(
        select(LoginThrottle).where(LoginThrottle.email_key == email_key).with_for_update()
    )
    return result.scalar_one_or_none()


async def insert(session: AsyncSession, row: LoginThrottle) -> bool:
    """False when a concurrent request created the row first."""
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


async def clear(session: AsyncSession, email_key: str) -> None:
    await session.execute(delete(LoginThrottle).where(LoginThrottle.email_key == email_key))
