"""All SQL touching ``users``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_auth.models import User


async def get_by_email(session: AsyncSession, email: str) -> User | None:
    result = await session.execute(select(User).where(User.email == email))
    return result.scalar_one_or_none()


async def get_by_id(session: AsyncSession, user_id: str) -> User | None:
    return await session.get(User, user_id)


async def add(session: AsyncSession, user: User) -> User:
    """Flushes so a duplicate email fails here, inside the request, as IntegrityError."""
    session.add(user)
    await session.flush()
    return user


async def update_fields(session: AsyncSession, user: User, **fields: Any) -> User:
    for name, value in fields.items():
        setattr(user, name, value)
    await session.flush()
    return user


async def delete_user(session: AsyncSession, user_id: str) -> None:
    await session.execute(delete(User).where(User.id == user_id))


async def page(session: AsyncSession, *, limit: int, offset: int) -> tuple[list[User], int]:
    total = (await session.execute(select(func.count()).select_from(User))).scalar_one()
    rows = await session.execute(
        select(User).order_by(User.created_at, User.id).limit(limit).offset(offset)
    )
    return list(rows.scalars()), int(total)
