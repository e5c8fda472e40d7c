"""Password-guessing limits, counted before the (slow) password check.

Every attempt is counted first, in one short transaction holding the rows' locks, and only
then checked; a right password takes its count back. So a parallel burst is evaluated at
most up to the limit, whatever the timing. Three kinds of key:

- per (email, client address): ``max_failures`` per window, then a lockout that doubles with
  each further one (``lockout``, 2x, 4x ... up to ``max_lockout``). An attacker elsewhere
  locks out only their own address, never the owner's.
- per email across all addresses: ``account_max_failures`` per window, against guessing
  spread over many addresses. Addresses the owner signed in from recently are exempt, so
  this ceiling cannot lock the owner out of their usual place either.
- per signed-in user, for password re-checks (password change, account deletion): a stolen
  access token is no password oracle, and a sign-in lockout never blocks the owner.

Keys are the same for emails with and without an account, so the answers do not tell them
apart.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_auth.config import Settings
from pitwall_auth.models import LoginThrottle
from pitwall_auth.repositories import throttle as throttle_repo
from pitwall_shared.problem_types import ProblemType
from pitwall_shared.problems import ProblemError


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int
    window: timedelta
    lockout: timedelta
    max_lockout: timedelta
    account_max_failures: int
    known_address: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> ThrottlePolicy:
        return cls(
            max_failures=settings.login_max_failures,
            window=timedelta(seconds=settings.login_window_seconds),
            lockout=timedelta(seconds=settings.login_lockout_seconds),
            max_lockout=timedelta(seconds=settings.login_max_lockout_seconds),
            account_max_failures=settings.login_account_max_failures,
            known_address=timedelta(days=settings.login_known_address_days),
        )


@dataclass(frozen=True)
class Keys:
    """The rows one attempt counts against; ``account`` is None for password re-checks."""

    own: str
    account: str | None


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def sign_in_keys(email: str, address: str) -> Keys:
    email = email.strip().lower()
    return Keys(own=_digest("address", email, address), account=_digest("account", email))


def recheck_keys(user_id: str) -> Keys:
    return Keys(own=_digest("recheck", user_id), account=None)


def _locked(until: datetime, now: datetime) -> ProblemError:
    retry_after = max(1, math.ceil((until - now).total_seconds()))
    return ProblemError(
        429,
        "Too many failed password attempts. Try again later.",
        slug=ProblemType.LOGIN_LOCKED,
        headers={"Retry-After": str(retry_after)},
    )


def _start_over_if_due(row: LoginThrottle, policy: ThrottlePolicy, now: datetime) -> None:
    # A lockout set in this window and now over (a served one lies before its window).
    served = row.locked_until is not None and row.window_started_at < row.locked_until <= now
    if served or now - row.window_started_at > policy.window:
        # The window or a lockout is over: count from scratch (strikes stay, so the next
        # lockout is longer).
        row.failures, row.window_started_at = 0, now


async def count_attempt(
    session: AsyncSession, keys: Keys, policy: ThrottlePolicy, now: datetime
) -> None:
    """Count this attempt as a failure in advance, or refuse it (429) if over a limit.

    The caller commits right after, before checking the password, so the rows stay locked
    only for this short step.
    """
    # Always the account row first: one lock order, no deadlocks between the two kinds.
    account = None
    if keys.account is not None:
        account = await throttle_repo.lock_or_create(session, keys.account, now)
    own = await throttle_repo.lock_or_create(session, keys.own, now)
    _start_over_if_due(own, policy, now)
    if own.locked_until is not None and own.locked_until > now:
        raise _locked(own.locked_until, now)
    if account is not None:
        _start_over_if_due(account, policy, now)
        known = own.known_until is not None and own.known_until > now
        if not known and account.failures >= policy.account_max_failures:
            raise _locked(account.window_started_at + policy.window, now)
        account.failures += 1
    own.failures += 1
    if own.failures >= policy.max_failures:
        # Locked as of this attempt; a right password here lifts it again.
        own.locked_until = now + min(policy.lockout * 2**own.strikes, policy.max_lockout)
        own.strikes += 1
    await session.flush()


async def attempt_succeeded(
    session: AsyncSession, keys: Keys, policy: ThrottlePolicy, now: datetime
) -> None:
    known_until = now + policy.known_address if keys.account is not None else None
    await throttle_repo.settle_success(session, keys.own, known_until)
    if keys.account is not None:
        await throttle_repo.refund(session, keys.account)
