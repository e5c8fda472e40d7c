"""Token pairs: issue on sign-in, rotate on refresh, revoke a family on reuse or logout."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_auth.metrics import REFRESHES
from pitwall_auth.models import RefreshToken, User, utcnow
from pitwall_auth.repositories import refresh_tokens as tokens_repo
from pitwall_auth.repositories import users as users_repo
from pitwall_auth.services.issuing import AccessTokenIssuer
from pitwall_shared.contracts.user import TokenPair
from pitwall_shared.problems import ProblemError
from pitwall_shared.revocations import RevocationAnnouncer


@dataclass(frozen=True)
class TokenLifetimes:
    access: timedelta
    refresh: timedelta
    service: timedelta


def hash_refresh_token(raw: str) -> str:
    # The token is 256 random bits, so a fast hash is enough to make a stolen table useless.
    return hashlib.sha256(raw.encode()).hexdigest()


def _refresh_rejected(detail: str, slug: str = "invalid-refresh-token") -> ProblemError:
    REFRESHES.labels("reused" if slug == "refresh-token-reused" else "invalid").inc()
    return ProblemError(401, detail, slug=slug)


async def issue_pair(
    session: AsyncSession,
    issuer: AccessTokenIssuer,
    lifetimes: TokenLifetimes,
    user: User,
    *,
    family_id: str | None = None,
    now: datetime | None = None,
) -> TokenPair:
    now = now or utcnow()
    raw = secrets.token_urlsafe(32)
    # The family is the sign-in: its id goes into every access token as ``sid``, so ending
    # the sign-in can end its access tokens too.
    family_id = family_id or str(uuid.uuid4())
    await tokens_repo.add(
        session,
        RefreshToken(
            id=str(uuid.uuid4()),
            user_id=user.id,
            family_id=family_id,
            token_hash=hash_refresh_token(raw),
            created_at=now,
            expires_at=now + lifetimes.refresh,
        ),
    )
    access_seconds = int(lifetimes.access.total_seconds())
    return TokenPair(
        access_token=issuer.issue(
            subject=user.id, role=user.role, ttl_seconds=access_seconds, session_id=family_id
        ),
        expires_in=access_seconds,
        refresh_token=raw,
    )


async def rotate(
    session: AsyncSession,
    issuer: AccessTokenIssuer,
    lifetimes: TokenLifetimes,
    revocations: RevocationAnnouncer,
    raw: str,
) -> TokenPair:
    """Spend ``raw`` and hand out its successor in the same family."""
    now = utcnow()
    token = await tokens_repo.get_by_hash(session, hash_refresh_token(raw))
    if token is None:
        raise _refresh_rejected("The refresh token is not valid. Sign in again.")
    if token.revoked_at is not None:
        raise _refresh_rejected("This sign-in was revoked. Sign in again.")
    if token.used_at is None and token.expires_at <= now:
        raise _refresh_rejected("The refresh token has expired. Sign in again.")
    # A spent token presented again, or spent by a concurrent request a moment ago.
    if token.used_at is not None or not await tokens_repo.mark_used(session, token.id, now):
        await tokens_repo.revoke_family(session, token.family_id, now)
        # Commit before refusing: the revocation must outlive this failed request.
        await session.commit()
        await revocations.end_session(token.family_id)
        raise _refresh_rejected(
            "This refresh token was already used, so it may have been stolen. Every session "
            "from that sign-in has been revoked; sign in again.",
            slug="refresh-token-reused",
        )
    user = await users_repo.get_by_id(session, token.user_id)
    if user is None:  # unreachable while the foreign key cascades, kept for safety
        raise _refresh_rejected("The account no longer exists.")
    pair = await issue_pair(session, issuer, lifetimes, user, family_id=token.family_id, now=now)
    REFRESHES.labels("rotated").inc()
    return pair


async def end_sign_in(session: AsyncSession, revocations: RevocationAnnouncer, raw: str) -> None:
    """Logout: the family of ``raw`` stops working, and so do its access tokens at the
    gateway (with Redis). Unknown tokens change nothing."""
    token = await tokens_repo.get_by_hash(session, hash_refresh_token(raw))
    if token is not None:
        await tokens_repo.revoke_family(session, token.family_id, utcnow())
        # Committed first: the announcement must not promise what the database lost.
        await session.commit()
        await revocations.end_session(token.family_id)
