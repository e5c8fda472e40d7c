"""Typed errors carrying the API's problem+json fields (RFC 9457).

Every error the API sends is ``application/problem+json`` with ``type``, ``title``,
``status``, ``detail``, ``instance`` and ``request_id``, plus members some problems add
(``errors`` for validation, ``valid_values`` for an unknown name, ...). An
:class:`ApiError` keeps them all: the standard ones as attributes, the rest in ``extra``.
"""

from __future__ import annotations

from typing import Any

import httpx


class PitwallError(Exception):
    """Anything this client raises."""


class TransportError(PitwallError):
    """The API could not be reached (connection refused, timeout...)."""


class ApiError(PitwallError):
    """The API answered with an error status."""

    def __init__(self, status: int, problem: dict[str, Any], headers: httpx.Headers | None = None):
        self.status = status
        self.problem = problem
        self.type: str = str(problem.get("type", "about:blank"))
        self.title: str = str(problem.get("title", ""))
        self.detail: str = str(problem.get("detail", ""))
        self.instance: str | None = problem.get("instance")
        self.request_id: str | None = problem.get("request_id") or (
            headers.get("x-request-id") if headers else None)
        self.errors: list[Any] | None = problem.get("errors")
        self.valid_values: list[Any] | None = problem.get("valid_values")
        standard = {"type", "title", "status", "detail", "instance", "request_id"}
        self.extra = {k: v for k, v in problem.items() if k not in standard}
        retry_after = headers.get("retry-after") if headers else None
        self.retry_after: float | None = _seconds(retry_after)
        super().__init__(self.summary())

    @property
    def slug(self) -> str:
        """The last part of ``type`` (``.../problems/data-not-found`` -> ``data-not-found``)."""
        return self.type.rstrip("/").rsplit("/", 1)[-1]

    def summary(self) -> str:
        text = f"{self.status} {self.title or 'Error'}"
        if self.detail:
            text += f": {self.detail}"
        if self.valid_values:
            text += f" (valid: {', '.join(map(str, self.valid_values[:20]))})"
        if self.request_id:
            text += f" [request {self.request_id}]"
        return text


class BadRequest(ApiError):
    """400."""


class Unauthorized(ApiError):
    """401: signed out, a wrong password, or a token that expired and could not be renewed."""


class Forbidden(ApiError):
    """403."""


class NotFound(ApiError):
    """404: an unknown event, session, driver, lap or report."""


class Conflict(ApiError):
    """409."""


class ValidationFailed(ApiError):
    """422: ``errors`` lists what was wrong with the request."""


class RateLimited(ApiError):
    """429: ``retry_after`` says when to try again."""


class Unavailable(ApiError):
    """503 after the client's bounded retries (data still loading, a service down)."""


class ServerError(ApiError):
    """Any other 5xx."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest, 401: Unauthorized, 403: Forbidden, 404: NotFound, 409: Conflict,
    422: ValidationFailed, 429: RateLimited, 503: Unavailable,
}


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:  # an HTTP date: not sent by Pitwall, treated as "no hint"
        return None


def error_from_response(response: httpx.Response) -> ApiError:
    """The typed error for an error response, problem+json or not."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {"title": response.reason_phrase, "detail": response.text[:500]}
    body.setdefault("status", response.status_code)
    status = response.status_code
    kind = _BY_STATUS.get(status) or (ServerError if status >= 500 else ApiError)
    return kind(status, body, response.headers)
