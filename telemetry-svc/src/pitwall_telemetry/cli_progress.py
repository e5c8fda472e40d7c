"""How the ingest command shows where a load is, and how ``list`` writes sizes and ages.

On a terminal the progress is one line rewritten in place (bar, stage, FastF1's latest step);
anywhere else (a pipe, a job's log) each stage and each FastF1 step is a line of its own, so
nothing is lost to carriage returns.
"""

from __future__ import annotations

import shutil
from typing import Any, TextIO

from pitwall_telemetry.loading.progress import STAGES

BAR_WIDTH = 20
SIZE_UNITS = ("B", "kB", "MB", "GB", "TB")


def human_size(size: int) -> str:
    """``1536`` -> ``1.5 kB`` (powers of 1024, one decimal below 10 units)."""
    value = float(size)
    for unit in SIZE_UNITS:
        if value < 1024 or unit == SIZE_UNITS[-1]:
            if unit == "B":
                return f"{int(value)} B"
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def human_age(seconds: float) -> str:
    """``90`` -> ``1 min``; ``200000`` -> ``2 d`` (the largest whole unit)."""
    seconds = max(0.0, seconds)
    for unit, length in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= length:
            return f"{int(seconds // length)} {unit}"
    return f"{int(seconds)} s"


class IngestProgress:
    def __init__(self, stream: TextIO, label: str, *, live: bool | None = None) -> None:
        self.stream = stream
        self.label = label
        self.live = stream.isatty() if live is None else live
        self._stages: list[str] = []
        self._steps_shown = 0
        self._fraction = 0.0
        self._last_step = ""

    def stage(self, name: str, fraction: float | None = None) -> None:
        """The command's own stages (resolving, checking) and the loader's."""
        if name in self._stages:
            return
        self._stages.append(name)
        if fraction is not None:
            self._fraction = fraction
        if self.live:
            self._redraw()
        else:
            self._line(f"[{self._fraction * 100:3.0f}%] {name}")

    def update(self, found: dict[str, Any]) -> None:
        """A reading of the loader's progress file: FastF1's new steps, each after the stage
        it came in, then any stage entered since."""
        stages: list[str] = found.get("stages") or []
        steps = found.get("steps") or []
        for stage, step in steps[self._steps_shown:]:
            for name in stages[: stages.index(stage) + 1] if stage in stages else []:
                self.stage(name, STAGES.get(name))
            self._last_step = str(step)
            if self.live:
                self._redraw()
            else:
                self._line(f"       fastf1: {step}")
        self._steps_shown = max(self._steps_shown, len(steps))
        for name in stages:
            self.stage(name, STAGES.get(name))

    def finish(self, summary: str) -> None:
        if self.live:
            self._fraction = 1.0
            self._last_step = ""
            self._redraw()
            self.stream.write("\n")
        else:
            self._line(f"[100%] {summary}")
        self.stream.flush()

    def abandon(self) -> None:
        """End the live line so an error message starts on a line of its own."""
        if self.live and self._stages:
            self.stream.write("\n")
            self.stream.flush()

    def _line(self, text: str) -> None:
        self.stream.write(f"{self.label}: {text}\n")
        self.stream.flush()

    def _redraw(self) -> None:
        filled = int(self._fraction * BAR_WIDTH)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        stage = self._stages[-1] if self._stages else ""
        text = f"{self.label} [{bar}] {self._fraction * 100:3.0f}% {stage}"
        if self._last_step:
            text += f": {self._last_step}"
        width = shutil.get_terminal_size((100, 20)).columns
        self.stream.write("\r\x1b[2K" + text[: max(20, width - 1)])
        self.stream.flush()
