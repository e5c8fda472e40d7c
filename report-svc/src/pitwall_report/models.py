"""ORM models: report jobs (metadata only; PDFs live in the output directory), one row per
report owner, which serialises that owner's quota checks, and the content-addressed results
that identical requests share."""

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
        Index("ix_report_jobs_file_name", "file_name"),
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
    # What decides the PDF's bytes, hashed (``services.results``); None when the data's
    # version was unknown at creation (telemetry-svc down): such a job renders its own file.
    result_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
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


class ReportResult(Base):
    """A rendered PDF under the hash of everything that decides its bytes. Job rows that name
    its file share it; the row is locked (updated) by every reuse, save and delete of that
    key, so the last job to let go of the file is the one that removes it."""

    __tablename__ = "report_results"

    result_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255), nullable=False)
    file_size: Mapped[int] = mapped_column(Integer, nullable=False)
    page_count: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    used_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
