"""ORM models: report jobs (metadata only; PDFs live in the output directory) and one row per
report owner, which serialises that owner's quota checks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pitwall_shared.orm_types import UtcDateTime, utcnow


class Base(DeclarativeBase):
    pass


class ReportJob(Base):
    """A report a user asked for, from queued to a PDF on disk (or a recorded failure)."""

    __tablename__ = "report_jobs"
    __table_args__ = (
        Index("ix_report_jobs_owner_created", "owner_id", "created_at"),
        Index("ix_report_jobs_status_created", "status", "created_at"),
        Index("ix_report_jobs_owner_status", "owner_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_id: Mapped[str] = mapped_column(String(64), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    stage: Mapped[str] = mapped_column(String(64), nullable=False)
    progress: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    file_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    file_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    page_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), nullable=False, default=utcnow, onupdate=utcnow
    )
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class ReportOwner(Base):
    """Locked (updated) by every quota check of its owner, so two concurrent requests of one
    user cannot both see room for one more job. Holds no other state."""

    __tablename__ = "report_owners"

    owner_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
