"""Conversations: each user's questions and answers, kept within the retention bounds."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_analysis.models import Conversation, ConversationAnswer
from pitwall_analysis.repositories.conversations import ConversationRepository
from pitwall_shared.contracts.ask import (
    AskAnswer,
    ConversationPage,
    ConversationSummary,
    ToolCallRecord,
)
from pitwall_shared.contracts.ask import Conversation as ConversationOut
from pitwall_shared.problems import ProblemError

TITLE_LENGTH = 80


@dataclass(frozen=True)
class Retention:
    conversations_per_user: int
    answers_per_conversation: int


def not_found(conversation_id: str) -> ProblemError:
    # Another user's conversation is answered exactly like a missing one.
    return ProblemError(404, f"No conversation '{conversation_id}' of yours.",
                        slug="conversation-not-found")


def new_id() -> str:
    return str(uuid.uuid4())


def title_of(question: str) -> str:
    flat = " ".join(question.split())
    return flat if len(flat) <= TITLE_LENGTH else flat[: TITLE_LENGTH - 1].rstrip() + "\u2026"


async def require_owned(db: AsyncSession, conversation_id: str, user_id: str) -> Conversation:
    conversation = await ConversationRepository(db).get_owned(conversation_id, user_id)
    if conversation is None:
        raise not_found(conversation_id)
    return conversation


def to_answer(row: ConversationAnswer) -> AskAnswer:
    return AskAnswer(
        conversation_id=row.conversation_id, answer_id=row.id, question=row.question,
        answerer="model" if row.answerer == "model" else "rules",
        answerer_reason=row.answerer_reason, text=row.text,
        dropped_claims=list(row.dropped_claims),
        tool_calls=[ToolCallRecord.model_validate(call) for call in row.tool_calls],
        created_at=row.created_at)


async def record(db: AsyncSession, user_id: str, conversation_id: str | None,
                 answer: AskAnswer, retention: Retention) -> AskAnswer:
    """Stores the answer in its conversation (a new one when none is named) and trims the
    oldest answers and conversations past the retention bounds."""
    repo = ConversationRepository(db)
    if conversation_id is None:
        conversation = Conversation(id=new_id(), user_id=user_id,
                                    title=title_of(answer.question),
                                    created_at=answer.created_at, updated_at=answer.created_at)
        await repo.add(conversation)
    else:
        conversation = await require_owned(db, conversation_id, user_id)
    row = ConversationAnswer(
        id=answer.answer_id, conversation_id=conversation.id, question=answer.question,
        answerer=answer.answerer, answerer_reason=answer.answerer_reason, text=answer.text,
        dropped_claims=answer.dropped_claims,
        tool_calls=[call.model_dump(mode="json") for call in answer.tool_calls],
        created_at=answer.created_at)
    await repo.add_answer(conversation, row)
    await repo.trim_answers(conversation.id, retention.answers_per_conversation)
    await repo.delete(await repo.oldest_beyond(user_id, retention.conversations_per_user))
    await db.commit()
    return answer.model_copy(update={"conversation_id": conversation.id})


async def list_mine(db: AsyncSession, user_id: str, *, limit: int,
                    offset: int) -> ConversationPage:
    rows, total = await ConversationRepository(db).page(user_id, limit=limit, offset=offset)
    items = [ConversationSummary(id=c.id, title=c.title, created_at=c.created_at,
                                 updated_at=c.updated_at, answers=n) for c, n in rows]
    return ConversationPage(items=items, total=total, limit=limit, offset=offset)


async def get_mine(db: AsyncSession, conversation_id: str, user_id: str) -> ConversationOut:
    conversation = await require_owned(db, conversation_id, user_id)
    answers = await ConversationRepository(db).answers(conversation.id)
    return ConversationOut(id=conversation.id, title=conversation.title,
                           created_at=conversation.created_at,
                           updated_at=conversation.updated_at,
                           answers=[to_answer(row) for row in answers])


async def delete_mine(db: AsyncSession, conversation_id: str, user_id: str) -> None:
    conversation = await require_owned(db, conversation_id, user_id)
    await ConversationRepository(db).delete([conversation.id])
    await db.commit()


async def delete_all_mine(db: AsyncSession, user_id: str) -> int:
    repo = ConversationRepository(db)
    deleted = await repo.delete(await repo.ids_of(user_id))
    await db.commit()
    return deleted
