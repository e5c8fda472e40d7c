"""ORM models: the insight cache."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


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
