"""ORM models: the insight cache and Ask conversations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pitwall_shared.orm_types import UtcDateTime, utcnow


class Base(DeclarativeBase):
    pass


class CachedNarrative(Base):
    """A model-written narrative, keyed by a hash of (kind, facts, prompt version, model)."""

    __tablename__ = "analysis_insight_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    model: Mapped[str] = mapped_column(String(200))
    prompt_version: Mapped[str] = mapped_column(String(50))
    # MEDIUMTEXT on MySQL: a lap comparison's narrative can pass TEXT's 64 KiB.
    narrative_json: Mapped[str] = mapped_column(
        Text().with_variant(Text(length=2**24 - 1), "mysql")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Conversation(Base):
    """A user's questions and answers about sessions; deleted with the account."""

    __tablename__ = "analysis_conversations"
    __table_args__ = (Index("ix_analysis_conversations_user_updated", "user_id", "updated_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)


class ConversationAnswer(Base):
    """One question and its answer, with the tool calls it rests on."""

    __tablename__ = "analysis_conversation_answers"
    __table_args__ = (
        Index("ix_analysis_conversation_answers_conv_created", "conversation_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("analysis_conversations.id", ondelete="CASCADE"), nullable=False)
    question: Mapped[str] = mapped_column(Text, nullable=False)
    answerer: Mapped[str] = mapped_column(String(16), nullable=False)
    answerer_reason: Mapped[str] = mapped_column(Text, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    dropped_claims: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    tool_calls: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
