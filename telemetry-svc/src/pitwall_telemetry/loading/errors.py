"""How a failed FastF1 call is told to the client, decided inside the loader process.

FastF1 swallows many failures into log records (``soft_exceptions``) and then raises a generic
error, e.g. a rate limit or a dead network both end as "Failed to load any schedule data".
The log records captured during the call tell which one it really was.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

FailureKind = Literal["not_found", "not_available", "rate_limited", "unreachable", "failed"]
RATE_LIMIT_RETRY_AFTER_S = 60


class LoadError(Exception):
    """Picklable across the process boundary: only plain arguments."""

    def __init__(self, kind: FailureKind, detail: str, retry_after: int | None = None, *,
                 cause: str | None = None) -> None:
        super().__init__(kind, detail, retry_after)
        self.kind = kind
        self.detail = detail
        self.retry_after = retry_after
        # What the pool itself saw (timeout, killed), for metrics; set in the service only.
        self.cause = cause


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def recording_fastf1_logs() -> Iterator[list[logging.LogRecord]]:
    recorder = _Recorder()
    logger = logging.getLogger("fastf1")
    previous = logger.level
    logger.addHandler(recorder)
    logger.setLevel(logging.DEBUG)
    try:
        yield recorder.records
    finally:
        logger.removeHandler(recorder)
        logger.setLevel(previous)


def _exception_names(error: BaseException | None) -> set[str]:
    names = set()
    while error is not None:
        names.add(type(error).__name__)
        error = error.__cause__ or error.__context__
    return names


def classify(error: BaseException, records: list[logging.LogRecord], *, what: str,
             offline: bool) -> LoadError:
    """Map ``error`` plus the FastF1 log records of the call to an honest ``LoadError``."""
    if isinstance(error, LoadError):
        return error
    names = _exception_names(error)
    misses = [r for r in records if getattr(r, "offline_cache_miss_url", None)]
    for record in records:
        if record.exc_info and record.exc_info[1] is not None:
            names |= _exception_names(record.exc_info[1])
    text = " ".join(r.getMessage() for r in records).lower() + " " + str(error).lower()
    if "RateLimitExceededError" in names or "rate limit" in text:
        return LoadError("rate_limited", f"The F1 data source rate limit was hit while "
                         f"loading {what}; retry later.", RATE_LIMIT_RETRY_AFTER_S)
    if misses or (offline and "failed to load" in text):
        return LoadError("not_available", f"{what} is not in the offline data set "
                         f"(offline mode, {len(misses)} upstream responses missing).")
    if names & {"ConnectionError", "NameResolutionError", "Timeout", "ConnectTimeout",
                "ReadTimeout", "MaxRetryError", "NewConnectionError"}:
        return LoadError("unreachable", f"The F1 data source could not be reached while "
                         f"loading {what}.", 30)
    if "SessionNotAvailableError" in names or "NoLapDataError" in names:
        return LoadError("not_available", f"No timing data is available for {what}.")
    if "failed to load any schedule data" in text:
        return LoadError("unreachable", f"No schedule source answered for {what}.", 30)
    return LoadError("failed", f"Loading {what} failed ({type(error).__name__}).")
