"""One registry of the problem types every service answers with.

A client keys its handling on the problem ``type`` URI, so one condition must carry one
slug in every service (an unknown driver is the same problem in telemetry, analysis and
report). Raise the common ones through the constructors below rather than by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pitwall_shared.problems import ProblemError

RACE_SESSION_CODES = ("R", "S")
QUALIFYING_SESSION_CODES = ("Q", "SQ", "SS")


class ProblemType(StrEnum):
    """Slugs of the problem ``type`` URIs (``https://pitwall.dev/problems/<slug>``)."""

    VALIDATION_ERROR = "validation-error"
    BAD_PATH = "bad-path"
    UNKNOWN_DRIVER = "unknown-driver"
    WRONG_SESSION_TYPE = "wrong-session-type"
    EVENT_NOT_FOUND = "event-not-found"
    EVENT_AMBIGUOUS = "event-ambiguous"
    SESSION_NOT_FOUND = "session-not-found"
    LAP_NOT_FOUND = "lap-not-found"
    DATA_NOT_AVAILABLE = "data-not-available"
    TELEMETRY_UNAVAILABLE = "telemetry-unavailable"
    LAPS_UNAVAILABLE = "laps-unavailable"
    RATE_LIMITED = "rate-limited"
    QUOTA_EXCEEDED = "quota-exceeded"
    UPSTREAM_UNAVAILABLE = "upstream-unavailable"
    UPSTREAM_TIMEOUT = "upstream-timeout"
    UPSTREAM_ERROR = "upstream-error"
    INTERNAL_ERROR = "internal-error"
    LOGIN_LOCKED = "login-locked"
    AUTH_BUSY = "auth-busy"


def bad_path(reason: str) -> ProblemError:
    """422 for a request path carrying traversal or smuggling tricks (``path_safety``)."""
    return ProblemError(422, reason, slug=ProblemType.BAD_PATH, title="Path not accepted")


def unknown_driver(asked: Iterable[str], valid: Iterable[str], session_label: str) -> ProblemError:
    """404 naming the drivers that are not in the session and listing those that are."""
    unknown = list(dict.fromkeys(asked))
    valid_values = sorted(set(valid))
    noun = "driver" if len(unknown) == 1 else "drivers"
    return ProblemError(
        404,
        f"No {noun} {', '.join(unknown)} in {session_label}; drivers are "
        f"{', '.join(valid_values)}.",
        slug=ProblemType.UNKNOWN_DRIVER,
        title="Unknown driver",
        asked=unknown,
        valid_values=valid_values,
    )


def wrong_session_type(
    analysis: str,
    session_code: str,
    session_label: str,
    applies_to: Iterable[str],
    alternatives: Iterable[str] = (),
) -> ProblemError:
    """422 for an analysis asked of a session type it does not apply to.

    ``applies_to`` are the session codes it does apply to; ``alternatives`` the analyses
    that do apply to this session, so the client can offer them instead.
    """
    codes = list(applies_to)
    others = list(alternatives)
    hint = f" For this session try: {', '.join(others)}." if others else ""
    return ProblemError(
        422,
        f"{analysis} applies to {'/'.join(codes)} sessions; {session_label} is a "
        f"{session_code} session.{hint}",
        slug=ProblemType.WRONG_SESSION_TYPE,
        title="Analysis does not apply to this session type",
        session_type=session_code,
        valid_values=codes,
        applicable_analyses=others,
    )


def quota_exceeded(
    detail: str, *, quota: str, limit: int, current: int, retry_after_s: int | None = None
) -> ProblemError:
    """429 for a per-user quota: names the quota, its limit and the caller's current count.

    ``retry_after_s`` only when waiting helps (queued work finishing frees room); a quota that
    only the user can free (by deleting something) carries no ``Retry-After``.
    """
    headers = {"Retry-After": str(retry_after_s)} if retry_after_s is not None else None
    return ProblemError(
        429,
        detail,
        slug=ProblemType.QUOTA_EXCEEDED,
        title="Quota exceeded",
        headers=headers,
        quota=quota,
        limit=limit,
        current=current,
    )
