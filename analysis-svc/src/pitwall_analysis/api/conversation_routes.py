"""The caller's Ask conversations: list, read, delete one, delete all (account deletion)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, status
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from pitwall_analysis.services import conversations
from pitwall_shared.auth_dependency import ActingIdentity
from pitwall_shared.contracts.ask import Conversation, ConversationPage, DeletedConversations

router = APIRouter(prefix="/api/v1/analysis/conversations", tags=["ask"])

ConversationId = Annotated[str, Path(min_length=1, max_length=64)]


async def _db(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.sessions() as db:
        yield db


DbDep = Annotated[AsyncSession, Depends(_db)]


@router.get("", response_model=ConversationPage, summary="My conversations, newest first")
async def list_conversations(
    identity: ActingIdentity, db: DbDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ConversationPage:
    return await conversations.list_mine(db, identity.user_id, limit=limit, offset=offset)


@router.delete("/mine", response_model=DeletedConversations,
               summary="Delete all my conversations (account deletion)")
async def delete_my_conversations(identity: ActingIdentity, db: DbDep) -> DeletedConversations:
    return DeletedConversations(deleted=await conversations.delete_all_mine(db, identity.user_id))


@router.get("/{conversation_id}", response_model=Conversation,
            summary="A conversation of mine with its answers and their tool calls")
async def get_conversation(conversation_id: ConversationId, identity: ActingIdentity,
                           db: DbDep) -> Conversation:
    return await conversations.get_mine(db, conversation_id, identity.user_id)


@router.delete("/{conversation_id}", status_code=status.HTTP_204_NO_CONTENT,
               response_class=Response, summary="Delete a conversation of mine")
async def delete_conversation(conversation_id: ConversationId, identity: ActingIdentity,
                              db: DbDep) -> Response:
    await conversations.delete_mine(db, conversation_id, identity.user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
