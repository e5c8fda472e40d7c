"""Routes for administrators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from pitwall_auth.deps import AdminIdentity, SessionDep
from pitwall_auth.schemas import UserPage
from pitwall_auth.services import accounts

router = APIRouter(prefix="/api/v1/auth", tags=["admin"])


@router.get(
    "/users",
    summary="List every account (administrators)",
    response_model=UserPage, description="All accounts, oldest first.",
)
async def list_users(
    _admin: AdminIdentity,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> UserPage:
    return await accounts.list_users(session, limit=limit, offset=offset)
