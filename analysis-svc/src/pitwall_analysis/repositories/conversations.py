"""All SQL touching Ask conversations and their answers.

Answers are deleted explicitly before their conversation: SQLite only honours the foreign
key's ON DELETE CASCADE with a pragma this service does not rely on.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_analysis.models import Conversation, ConversationAnswer


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_owned(self, conversation_id: str, user_id: str) -> Conversation | None:
        return await self.session.scalar(
            select(Conversation).where(Conversation.id == conversation_id,
                                       Conversation.user_id == user_id))

    async def add(self, conversation: Conversation) -> None:
        self.session.add(conversation)
        await self.session.flush()

    async def page(self, user_id: str, *, limit: int,
                   offset: int) -> tuple[list[tuple[Conversation, int]], int]:
        """The user's conversations, most recently updated first, with their answer counts."""
        counts = (select(ConversationAnswer.conversation_id,
                         func.count().label("answers"))
                  .group_by(ConversationAnswer.conversation_id).subquery())
        rows = await self.session.execute(
            select(Conversation, func.coalesce(counts.c.answers, 0))
            .outerjoin(counts, counts.c.conversation_id == Conversation.id)
            .where(Conversation.user_id == user_id)
            .order_by(Conversation.updated_at.desc(), Conversation.id.desc())
            .limit(limit).offset(offset))
        total = await self.session.scalar(
            select(func.count()).select_from(Conversation).where(Conversation.user_id == user_id))
        return [(conversation, int(n)) for conversation, n in rows.all()], int(total or 0)

    async def answers(self, conversation_id: str) -> Sequence[ConversationAnswer]:
        return (await self.session.scalars(
            select(ConversationAnswer).where(ConversationAnswer.conversation_id == conversation_id)
            .order_by(ConversationAnswer.created_at, ConversationAnswer.id))).all()

    async def add_answer(self, conversation: Conversation, answer: ConversationAnswer) -> None:
        self.session.add(answer)
        conversation.updated_at = answer.created_at
        await self.session.flush()

    async def trim_answers(self, conversation_id: str, keep: int) -> int:
        """Deletes all but the newest ``keep`` answers of a conversation."""
        kept = (select(ConversationAnswer.id)
                .where(ConversationAnswer.conversation_id == conversation_id)
                .order_by(ConversationAnswer.created_at.desc(), ConversationAnswer.id.desc())
                .limit(keep))
        keep_ids = list((await self.session.scalars(kept)).all())
        result = await self.session.execute(
            delete(ConversationAnswer).where(ConversationAnswer.conversation_id == conversation_id,
                                             ConversationAnswer.id.not_in(keep_ids)))
        return int(getattr(result, "rowcount", 0) or 0)

    async def oldest_beyond(self, user_id: str, keep: int) -> list[str]:
        """Ids of the user's conversations past the newest ``keep`` (by last update)."""
        return list((await self.session.scalars(
            select(Conversation.id).where(Conversation.user_id == user_id)
            .order_by(Conversation.updated_at.desc(), Conversation.id.desc())
            .offset(keep))).all())

    async def delete(self, conversation_ids: Sequence[str]) -> int:
        if not conversation_ids:
            return 0
        await self.session.execute(delete(ConversationAnswer).where(
            ConversationAnswer.conversation_id.in_(conversation_ids)))
        result = await self.session.execute(
            delete(Conversation).where(Conversation.id.in_(conversation_ids)))
        return int(getattr(result, "rowcount", 0) or 0)

    async def ids_of(self, user_id: str) -> list[str]:
        return list((await self.session.scalars(
            select(Conversation.id).where(Conversation.user_id == user_id))).all())
