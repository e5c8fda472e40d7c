"""What a client may put into a URL path: event and session names, and no path tricks.

Event and session names travel on as path segments (report-svc and analysis-svc call
telemetry-svc with them), so a value like ``..`` or ``a/b`` could climb out of the route it
was meant for. ``EventName`` and ``SessionName`` validate such values wherever they arrive
(path or JSON body); ``PathGuardMiddleware`` refuses whole request paths carrying encoded
separators, dot segments, double encoding or control characters before any routing.
Both answer 422 problems (``bad-path`` or ``validation-error``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, Field
from starlette.types import ASGIApp, Receive, Scope, Send

from pitwall_shared.problem_types import bad_path
from pitwall_shared.problems import problem_response

EVENT_MAX_LENGTH = 64
SESSION_MAX_LENGTH = 30
# Letters and digits of any script, with inner spaces, apostrophes and hyphens: every event
# name, country, location and round number FastF1 knows ("São Paulo", "Emilia Romagna", 11).
EVENT_PATTERN = rf"^\w(?:[\w '\u2019-]{{0,{EVENT_MAX_LENGTH - 2}}}\w)?$"
# A code (Q, FP2) or a name (Sprint Qualifying, Practice 1).
SESSION_PATTERN = rf"^\w(?:[\w -]{{0,{SESSION_MAX_LENGTH - 2}}}\w)?$"
_REFUSED = "no '.', '/', '%', '\\' or control characters"


def _matching(pattern: str, what: str) -> Callable[[str], str]:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"{what} ({_REFUSED})")
        return value

    return check


_event = _matching(
    EVENT_PATTERN,
    f"an event is a name or round number of at most {EVENT_MAX_LENGTH} characters: "
    "letters, digits and inner spaces, ' or -",
)
_session = _matching(
    SESSION_PATTERN,
    f"a session is a code or name of at most {SESSION_MAX_LENGTH} characters: "
    "letters, digits and inner spaces or -",
)

EventName = Annotated[
    str,
    Field(min_length=1, max_length=EVENT_MAX_LENGTH, json_schema_extra={"pattern": EVENT_PATTERN}),
    AfterValidator(_event),
]
SessionName = Annotated[
    str,
    Field(
        min_length=1, max_length=SESSION_MAX_LENGTH, json_schema_extra={"pattern": SESSION_PATTERN}
    ),
    AfterValidator(_session),
]

# Percent-encodings that smuggle a separator, a NUL or another encoding level past routing.
_ENCODED_TRICKS = re.compile(rb"%(?:2f|5c|25|0[0-9a-f]|1[0-9a-f]|7f)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\\]")


def path_trick(raw_path: bytes, path: str) -> str | None:
    """Why this request path is refused, or None. ``path`` is the decoded form of ``raw_path``."""
    if b"%" in raw_path and _ENCODED_TRICKS.search(raw_path):
        return "Paths may not contain encoded '/', '\\', '%' or control characters."
    # The common case (plain ASCII, no backslash) skips the expression.
    if not (path.isascii() and path.isprintable() and "\\" not in path) and _CONTROL.search(path):
        return "Paths may not contain control characters or '\\'."
    if "/." in path and any(segment in (".", "..") for segment in path.split("/")):
        return "Paths may not contain '.' or '..' segments."
    return None


class PathGuardMiddleware:
    """Refuses tricked paths with a 422 problem before any route, proxy or file lookup."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            reason = path_trick(scope.get("raw_path") or path.encode(), path)
            if reason is not None:
                problem = bad_path(reason)
                response = problem_response(
                    problem.status,
                    problem.detail,
                    instance=path,
                    slug=problem.slug,
                    title=problem.title,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
