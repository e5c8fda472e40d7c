"""One access line per request, written by ``RequestContextMiddleware`` when the answer is out.

The line names the route template, never the raw path or query (ids, and whatever a client
put in a query string, stay out). Layers below add to it through the request's state:
``identity`` (set where a token was verified: its ``sub`` becomes ``user_id``) and
``access`` (a dict of fields to add or override, e.g. the gateway's client address worked
out from trusted proxies, its upstream and the upstream's status and time).

Cheap on purpose, since the gateway writes one per proxied request: no awaits; in a process
set up by ``configure_logging`` the line goes straight to its JSON handler's stream, batched
per event-loop turn (``AccessLineWriter``); otherwise (a test capturing records) it is an
ordinary record, built without looking up the caller's frame.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import Scope

from pitwall_shared.logs import ACCESS_FIELDS, ACCESS_LOGGER, access_line_writer

ACCESS_STATE_KEY = "access"
_access = logging.getLogger(ACCESS_LOGGER)
_INFO = logging.INFO


def log_access(scope: Scope, status: int, started: float) -> None:
    """Write the access line of a finished request; ``started`` is its ``perf_counter``."""
    if not _access.isEnabledFor(_INFO):  # also False while the logger is disabled
        return
    state: dict[str, Any] = scope.get("state") or {}
    identity = state.get("identity")
    client = (scope.get("client") or ("-",))[0]
    route = getattr(scope.get("route"), "path", None) or "unmatched"
    line: dict[str, Any] = {
        "method": scope.get("method", "GET"),
        "route": route,
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        "client": client,
        "user_id": getattr(identity, "user_id", None),
    }
    extra = state.get(ACCESS_STATE_KEY)
    if extra:
        line.update(extra)
    writer = access_line_writer()
    if writer is not None:
        writer.write(time.time(), line)
    else:
        _access.handle(_record(line))


def _record(line: dict[str, Any]) -> logging.LogRecord:
    """A log record without ``LogRecord.__init__``'s lookups (caller's file, thread, process),
    measured here at about a third of a line's cost; handlers see an ordinary INFO record."""
    record = logging.LogRecord.__new__(logging.LogRecord)
    now = time.time()
    record.__dict__.update(_RECORD_TEMPLATE)
    record.created = now
    record.msecs = (now - int(now)) * 1000
    record.__dict__[ACCESS_FIELDS] = line
    return record


_RECORD_TEMPLATE = {
    **logging.LogRecord(ACCESS_LOGGER, _INFO, "", 0, "access", None, None).__dict__,
    "thread": None, "threadName": None, "process": None, "processName": None,
}
