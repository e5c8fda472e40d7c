"""All SQL touching ``refresh_tokens``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_auth.models import RefreshToken


async def add(session: AsyncSession, token: RefreshToken) -> None:
    session.add(token)
    await session.flush()


async def get_by_hash(session: AsyncSession, token_hash: str) -> RefreshToken | None:
    result = await session.execute(
        select(RefreshToken).where(RefreshToken.token_hash == token_hash)
    )
    return result.scalar_one_or_none()


async def mark_used(session: AsyncSession, token_id: str, now: datetime) -> bool:
    """Spend a token; False when another request spent it first (a concurrent reuse)."""
    result = await session.execute(
        update(RefreshToken)
        .where(
            RefreshToken.id == token_id,
            RefreshToken.used_at.is_(None),
            RefreshToken.revoked_at.is_(None),
        )
        .values(used_at=now)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def revoke_family(session: AsyncSession, family_id: str, now: datetime) -> int:
    result = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


async def delete_for_user(session: AsyncSession, user_id: str) -> None:
    await session.execute(delete(RefreshToken).where(RefreshToken.user_id == user_id))


async def delete_expired(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(delete(RefreshToken).where(RefreshToken.expires_at < before))
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


async def revoke_all_for_user(session: AsyncSession, user_id: str, now: datetime) -> int:
    result = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    assert isinstance(result, CursorResult)
    return int(result.rowcount)
