"""Where a running load is: written by the loader process, read by the service for ``/status``.

The loader process writes a small JSON file (atomically: temp file, rename) each time the load
enters a stage; the service reads it while the load is in flight and deletes it afterwards.
A file rather than a queue: it needs no channel kept open to a pool process, and a reader
never sees a half-written state.

FastF1 loads a session in one call (``Session.load``) but logs as it goes, both when it
fetches a part and when it finds it in its cache; those records mark the stages inside it,
and its INFO messages (its own account of each step) are kept as ``steps``, each with the
stage it came in, for the ingest command to show.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# stage -> share of the load done when it starts, in the order a load passes them
STAGES: dict[str, float] = {
    "queued": 0.0, "schedule": 0.05, "session": 0.1, "results": 0.2, "laps": 0.3,
    "telemetry": 0.5, "weather": 0.7, "messages": 0.8, "writing": 0.9,
}
# A long load logs a few dozen steps; the file stays small whatever happens.
MAX_STEPS = 200
# words in FastF1's log records (its fetch and cache-lookup names) -> the stage they start
_FASTF1_MARKERS: tuple[tuple[str, str], ...] = (
    ("session_info", "session"), ("driver_info", "results"), ("results", "results"),
    ("timing_data", "laps"), ("timing_app_data", "laps"), ("track_status", "laps"),
    ("car_data", "telemetry"), ("position_data", "telemetry"),
    ("weather_data", "weather"), ("race_control", "messages"),
)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def read_progress(path: Path) -> dict[str, Any] | None:
    try:
        body = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return body if isinstance(body, dict) else None


class ProgressFile:
    """The loader's side: records each stage entered; never goes back to an earlier one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stages: list[str] = []
        self.steps: list[tuple[str, str]] = []  # (stage, FastF1's message)

    def enter(self, stage: str) -> None:
        if self.stages and STAGES[stage] <= STAGES[self.stages[-1]]:
            return  # FastF1 looks parts up again later; progress only moves forward
        self.stages.append(stage)
        self._write()

    def step(self, message: str) -> None:
        """Record one of FastF1's own steps (its INFO message) under the current stage."""
        if len(self.steps) < MAX_STEPS:
            self.steps.append((self._stage(), message))
            self._write()

    def _stage(self) -> str:
        return self.stages[-1] if self.stages else "queued"

    def _write(self) -> None:
        stage = self._stage()
        body = {"stage": stage, "progress": STAGES[stage], "stages": self.stages,
                "steps": self.steps, "updated_at": now_iso()}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
            with os.fdopen(fd, "w") as handle:
                json.dump(body, handle)
            os.replace(tmp, self.path)
        except OSError:  # progress is a courtesy: a full disk must not fail the load itself
            logging.getLogger("pitwall.telemetry.progress").warning(
                "cannot write load progress to %s", self.path)


class FastF1StageHandler(logging.Handler):
    """Turns FastF1's log records during ``Session.load`` into stages of ``progress``, and
    its INFO-and-up messages into steps."""

    def __init__(self, progress: ProgressFile) -> None:
        super().__init__(level=logging.DEBUG)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        for marker, stage in _FASTF1_MARKERS:
            if marker in text:
                self.progress.enter(stage)
                break
        if record.levelno >= logging.INFO:
            self.progress.step(text.splitlines()[0][:200] if text else text)
