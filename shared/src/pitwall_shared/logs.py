"""Structured JSON logs, one object per line, each carrying the request id.

Every line passes through ``JsonFormatter``, which is also the last line of defence for
secrets: fields named like credentials are replaced, and bearer tokens, JWTs and
``password=...``-style pairs are scrubbed from the finished line, whatever logged them.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from types import TracebackType
from typing import Any

import orjson

from pitwall_shared.request_context import current_request_id

ACCESS_LOGGER = "pitwall.access"
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
    r"\\?[\"']?\s*[:=]\s*\\?[\"']?)[^\s\"'\\&,;)}\]]+"
)
# uvicorn's own loggers: routed to the root handler instead of uvicorn's plain-text ones.
_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.asgi")
# They log every outgoing request at INFO; the service answering it writes its access line.
_CHATTY_CLIENT_LOGGERS = ("httpx", "httpcore")


def redact(line: str) -> str:
    """The line with bearer values, JWTs and credential pairs replaced."""
    if "eyJ" in line:
        line = _JWT.sub(REDACTED, line)
    line = _BEARER.sub(rf"\1\2{REDACTED}", line)
    return _CREDENTIAL_PAIR.sub(rf"\1{REDACTED}", line)


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": current_request_id(),
        }
        for key, value in record.__dict__.items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = REDACTED if _CREDENTIAL_NAME.search(key) else value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return redact(orjson.dumps(entry, default=str).decode())


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
    root = logging.getLogger()
    root.handlers[:] = [json_handler(service)]
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
    sys.excepthook = _log_uncaught


def _log_uncaught(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    logging.getLogger("pitwall").critical("uncaught exception", exc_info=(kind, error, trace))
