"""Structured JSON logs, one object per line, each carrying the request id.

Every line passes through ``JsonFormatter``, which is also the last line of defence for
secrets: fields named like credentials are replaced, and bearer tokens, JWTs and
``password=...``-style pairs are scrubbed from the finished line, whatever logged them.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import re
import sys
import time
from types import TracebackType
from typing import Any

import orjson

from pitwall_shared.request_context import current_request_id

ACCESS_LOGGER = "pitwall.access"
# The record attribute that carries an access line's fields (``pitwall_shared.access_log``).
ACCESS_FIELDS = "access_fields"
REDACTED = "[redacted]"
# Record attributes that are not fields of the line (uvicorn adds a copy with colour codes).
_RESERVED = frozenset(logging.makeLogRecord({}).__dict__) | {
    "message", "asctime", "color_message"
}
_CREDENTIAL_NAME = re.compile(
    r"pass(?:word|wd|phrase)|secret|token|authori[sz]ation|cookie|api[_-]?key|credential",
    re.IGNORECASE,
)
# Scrubbed from the serialized line, so no message text, exception or repr can carry them out.
_BEARER = re.compile(r"(?i)\b(bearer)(\s+)[A-Za-z0-9._~+/=-]{8,}")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
_CREDENTIAL_PAIR = re.compile(
    r"(?i)((?:pass(?:word|wd|phrase)?|secret|token|authorization|cookie|api[_-]?key)"
    r"\\?[\"']?\s*[:=]\s*\\?[\"']?)(?!\[redacted\])[^\s\"'\\&,;)}\]]+"
)
# uvicorn's own loggers: routed to the root handler instead of uvicorn's plain-text ones.
_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.asgi")
# They log every outgoing request at INFO; the service answering it writes its access line.
_CHATTY_CLIENT_LOGGERS = ("httpx", "httpcore")


def redact(line: str) -> str:
    """The line with bearer values, JWTs and credential pairs replaced.

    The patterns run only on a line holding one of their words: a substring test is cheap,
    a case-insensitive pattern scan of a whole line measured about a hundred times dearer.
    """
    if "eyJ" in line:
        line = _JWT.sub(REDACTED, line)
    lower = line.lower()
    if "bearer" in lower:
        line = _BEARER.sub(rf"\1\2{REDACTED}", line)
    if (
        "pass" in lower
        or "token" in lower
        or "secret" in lower
        or "authoriz" in lower
        or "cookie" in lower
        or "key" in lower
    ):
        line = _CREDENTIAL_PAIR.sub(rf"\1{REDACTED}", line)
    return line


def _is_credential_name(key: str) -> bool:
    known = _credential_names.get(key)
    if known is None:
        known = _credential_names[key] = bool(_CREDENTIAL_NAME.search(key))
    return known


# Field names come from code, so this stays small.
_credential_names: dict[str, bool] = {}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service
        self._last_second = (-1, "")
        self._access_second = -1
        self._access_start = b""
        self._access_fixed = (
            b'","level":"info","service":' + orjson.dumps(service)
            + b',"logger":"' + ACCESS_LOGGER.encode() + b'","msg":"access","request_id":'
        )

    def _second(self, epoch_second: int) -> str:
        """``strftime`` once per second of log, not once per line."""
        if self._last_second[0] != epoch_second:
            text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch_second))
            self._last_second = (epoch_second, text)
        return self._last_second[1]

    def format(self, record: logging.LogRecord) -> str:
        access = record.__dict__.get(ACCESS_FIELDS)
        if access is not None:
            return self._access_line(record, access)
        entry: dict[str, Any] = {
            "ts": f"{self._second(int(record.created))}.{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": current_request_id(),
        }
        for key, value in record.__dict__.items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = REDACTED if _is_credential_name(key) else value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return redact(orjson.dumps(entry, default=str).decode())

    def _access_line(self, record: logging.LogRecord, fields: dict[str, Any]) -> str:
        return self.access_json(record.created, current_request_id(), fields).decode()

    def access_json(self, created: float, request_id: str, fields: dict[str, Any]) -> bytes:
        """An access line holds fixed fields (``pitwall_shared.access_log``): method, route
        template, numbers, address, the verified subject. The one text a client chose, the
        gateway's raw path, is scrubbed on its own, a fraction of scanning the whole line.
        The fixed start of the line is kept as bytes, per second for its timestamp.
        """
        second = int(created)
        if second != self._access_second:
            self._access_second = second
            self._access_start = f'{{"ts":"{self._second(second)}.'.encode()
        path = fields.get("path")
        if path:
            fields["path"] = redact(path)
        rest = orjson.dumps(fields, default=str)
        return b"".join((
            self._access_start,
            b"%03dZ" % int((created - second) * 1000),
            self._access_fixed,
            orjson.dumps(request_id),
            b"," + rest[1:] if len(rest) > 2 else b"}",
        ))


class AccessLineWriter:
    """Access lines written straight to the process's JSON handler, a batch per loop turn.

    Through ``logging`` one line cost about 25 us here (record dispatch, handler lock, a
    write and flush each); the gateway writes one per proxied request. Used only while the
    handler ``configure_logging`` installed is the root's only one and the access logger has
    none of its own, so anything that adds a handler (a test's log capture) gets ordinary
    records again. A request only queues its fields (and its request id, read while it is
    current); lines are formatted and written together, in order, at most
    ``FLUSH_AFTER_SECONDS`` after the first of them (so one client's sequential requests
    share the work too, off their own path), and at shutdown (the app's lifespan, and at exit).
    """

    FLUSH_AFTER_SECONDS = 0.05
    MAX_PENDING = 512

    def __init__(self, handler: logging.StreamHandler[Any], formatter: JsonFormatter) -> None:
        self.handler = handler
        self.formatter = formatter
        self._root = logging.getLogger()
        self._access = logging.getLogger(ACCESS_LOGGER)
        self._pending: list[tuple[float, str, dict[str, Any]]] = []
        # The loop a flush is due on (a process may run several loops one after another).
        self._timer_loop: asyncio.AbstractEventLoop | None = None

    def applies(self) -> bool:
        handlers = self._root.handlers
        access = self._access
        return (
            len(handlers) == 1
            and handlers[0] is self.handler
            and not access.handlers
            and not access.filters
            and access.propagate
        )

    def write(self, created: float, fields: dict[str, Any]) -> None:
        pending = self._pending
        pending.append((created, current_request_id(), fields))
        if len(pending) >= self.MAX_PENDING:
            self.flush()
            return
        due_on = self._timer_loop
        # Looking up the running loop costs a system call (getpid) each time; while a flush is
        # due on a loop that can still run it, this line simply joins the batch.
        if due_on is not None and not due_on.is_closed():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush()
            return
        self._timer_loop = loop
        loop.call_later(self.FLUSH_AFTER_SECONDS, self.flush)

    def flush(self) -> None:
        # A timer that fires after an early flush finds nothing, or a newer batch: both fine.
        self._timer_loop = None
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        handler = self.handler
        handler.acquire()
        try:
            access_json = self.formatter.access_json
            lines = [access_json(created, rid, fields) for created, rid, fields in pending]
            lines.append(b"")
            handler.stream.write(b"\n".join(lines).decode())
            handler.stream.flush()
        except Exception:  # as logging does: a broken log stream must not break requests
            sys.stderr.write("access lines could not be written\n")
        finally:
            handler.release()


_access_writer: AccessLineWriter | None = None


def flush_access_lines() -> None:
    if _access_writer is not None:
        _access_writer.flush()


def access_line_writer() -> AccessLineWriter | None:
    """The direct writer ``configure_logging`` set up, if it still applies; else None."""
    writer = _access_writer
    return writer if writer is not None and writer.applies() else None


def json_handler(service: str, level: int | str = logging.NOTSET) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    handler.setLevel(level)
    return handler


def configure_logging(service: str, level: str = "INFO", *, access_log: bool = True) -> None:
    """Send every log record of this process as JSON to stderr, uvicorn's and warnings too.

    Access lines (logger ``pitwall.access``) are written at INFO whatever ``level`` says,
    unless ``access_log`` is off.
    """
    global _access_writer
    root = logging.getLogger()
    handler = json_handler(service)
    root.handlers[:] = [handler]
    flush_access_lines()
    assert isinstance(handler, logging.StreamHandler)
    assert isinstance(handler.formatter, JsonFormatter)
    _access_writer = AccessLineWriter(handler, handler.formatter)
    atexit.register(_access_writer.flush)
    root.setLevel(level.upper())
    for name in _UVICORN_LOGGERS:
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # uvicorn's access log would duplicate ours, in plain text.
    logging.getLogger("uvicorn.access").handlers[:] = []
    logging.getLogger("uvicorn.access").propagate = False
    for name in _CHATTY_CLIENT_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    access = logging.getLogger(ACCESS_LOGGER)
    access.setLevel(logging.INFO)
    access.disabled = not access_log
    logging.captureWarnings(True)
    # Thread and process names are not in our lines; every record would look them up.
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    sys.excepthook = _log_uncaught


def _log_uncaught(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    logging.getLogger("pitwall").critical("uncaught exception", exc_info=(kind, error, trace))
