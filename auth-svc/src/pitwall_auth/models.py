"""ORM models: accounts, refresh tokens and the login throttle."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pitwall_shared.orm_types import UtcDateTime, utcnow


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="user")
    preferences: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class RefreshToken(Base):
    """One issued refresh token. Only its SHA-256 is kept; the token itself is random.

    Tokens descending from one login share a ``family_id``; reusing a spent token revokes
    the family, because only a thief or a replay would present a token twice.
    """

    __tablename__ = "refresh_tokens"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_refresh_tokens_token_hash"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    family_id: Mapped[str] = mapped_column(String(36), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class LoginThrottle(Base):
    """Failed password attempts per throttle key, kept whether or not the account exists.

    Keys are hashes (no plaintext addresses of strangers on file) of one of: the email (the
    per-account ceiling), the email with a client address (the per-address limit), or a
    signed-in user's id (password re-checks). Attempts are counted before the password is
    checked and refunded when it was right, so a burst cannot outrun the count.
    """

    __tablename__ = "login_throttle"

    throttle_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # Lockouts served since the last success; each doubles the next.
    strikes: Mapped[int] = mapped_column(Integer, default=0)
    # Per-address rows: the owner signed in from here, so the account ceiling does not apply.
    known_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
