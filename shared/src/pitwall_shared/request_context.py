"""Per-request context (request id) carried in a contextvar so logs and errors can read it."""

from __future__ import annotations

import os
import re
from contextvars import ContextVar

REQUEST_ID_HEADER = "X-Request-ID"
_request_id: ContextVar[str] = ContextVar("request_id", default="-")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str) -> None:
    _request_id.set(value)


def accept_or_new_request_id(incoming: str | None) -> str:
    """Keep a caller's id only if it is short and plain, so it cannot inject into logs."""
    if incoming and _SAFE_ID.match(incoming):
        return incoming
    return new_request_id()


# New ids are cut from one read of the system's random source per 256 ids: a read per id was a
# system call on every request that brings no id of its own.
_ID_BYTES = 16
_POOL_IDS = 256
_pool = b""
_next = 0


def new_request_id() -> str:
    """32 random hex digits, as uuid4().hex gave (no UUID object, no system call per id)."""
    global _pool, _next
    start = _next
    if start >= len(_pool):
        _pool = os.urandom(_ID_BYTES * _POOL_IDS)
        start = 0
    _next = start + _ID_BYTES
    return _pool[start : start + _ID_BYTES].hex()


def _forget_pool() -> None:
    """A forked child must not hand out its parent's remaining ids."""
    global _pool, _next
    _pool, _next = b"", 0


os.register_at_fork(after_in_child=_forget_pool)
