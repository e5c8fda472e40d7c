"""Lap traces as numpy arrays and the distance-aligned delta between two laps."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from pitwall_shared.contracts.telemetry import LapRef, LapTelemetry

FloatArray = NDArray[np.float64]

# Grid spacing for aligning two laps: fine enough that a corner zone spans dozens of points.
GRID_STEP_M = 2.0
REQUIRED_CHANNELS = ("distance", "time", "speed")


@dataclass(frozen=True)
class LapTrace:
    """One lap's samples. Missing optional channels are NaN-filled arrays."""

    driver: str
    lap_number: int
    lap_time_s: float | None
    distance: FloatArray
    time: FloatArray
    speed: FloatArray
    throttle: FloatArray
    brake: FloatArray
    gear: FloatArray
    drs: FloatArray
    sector_times_s: list[float | None] = field(default_factory=list)

    @property
    def length_m(self) -> float:
        return float(self.distance[-1])


def _column(channels: dict[str, list[float | None]], name: str, size: int) -> FloatArray:
    values = channels.get(name)
    if values is None:
        return np.full(size, np.nan)
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def trace_from_arrays(
    lap: LapRef, channels: dict[str, list[float | None]] | dict[str, FloatArray]
) -> LapTrace:
    """Build a trace, dropping samples without distance/time/speed and enforcing order."""
    size = len(channels["distance"])
    cols = {
        name: _column(channels, name, size)  # type: ignore[arg-type]
        for name in ("distance", "time", "speed", "throttle", "brake", "gear", "drs")
    }
    valid = np.ones(size, dtype=bool)
    for name in REQUIRED_CHANNELS:
        valid &= np.isfinite(cols[name])
    cols = {k: v[valid] for k, v in cols.items()}
    order = np.argsort(cols["time"], kind="stable")
    cols = {k: v[order] for k, v in cols.items()}
    # Integrated distance can stall for a sample; keep it non-decreasing.
    cols["distance"] = np.maximum.accumulate(cols["distance"])
    if cols["time"].size and cols["time"][0] > 0:
        cols = _open_lap(cols)
    if lap.lap_time_s is not None and cols["time"].size and cols["time"][-1] < lap.lap_time_s:
        cols = _close_lap(cols, float(lap.lap_time_s))
    return LapTrace(
        driver=lap.driver,
        lap_number=lap.lap_number,
        lap_time_s=lap.lap_time_s,
        sector_times_s=list(lap.sector_times_s),
        **cols,
    )


def _open_lap(cols: dict[str, FloatArray]) -> dict[str, FloatArray]:
    """The first sample comes up to a few hundred ms after the line; add the line itself
    (time 0, distance 0), reached at the first sample's speed, so both laps start level."""
    lead_m = cols["speed"][0] / 3.6 * cols["time"][0]
    opened = {name: np.insert(values, 0, values[0]) for name, values in cols.items()}
    opened["time"][0] = 0.0
    opened["distance"] = opened["distance"] + lead_m - cols["distance"][0]
    opened["distance"][0] = 0.0
    return opened


def _close_lap(cols: dict[str, FloatArray], lap_time_s: float) -> dict[str, FloatArray]:
    """Raw samples stop a few hundred ms short of the line; add a point at the official lap
    time, carried on at the last speed, so deltas end at the real lap-time difference."""
    remaining = lap_time_s - cols["time"][-1]
    closed = {name: np.append(values, values[-1]) for name, values in cols.items()}
    closed["time"][-1] = lap_time_s
    closed["distance"][-1] = cols["distance"][-1] + cols["speed"][-1] / 3.6 * remaining
    return closed


def trace_from_contract(telemetry: LapTelemetry) -> LapTrace:
    return trace_from_arrays(telemetry.lap, telemetry.channels)


def time_at(trace: LapTrace, distance: FloatArray, scale: float = 1.0) -> FloatArray:
    """Elapsed lap time at each distance, with the trace's distance scaled by ``scale``."""
    dist = trace.distance * scale
    unique, index = np.unique(dist, return_index=True)
    return np.interp(distance, unique, trace.time[index])


def channel_at(
    trace: LapTrace, values: FloatArray, distance: FloatArray, scale: float
) -> FloatArray:
    dist = trace.distance * scale
    unique, index = np.unique(dist, return_index=True)
    return np.interp(distance, unique, values[index])


@dataclass(frozen=True)
class AlignedLaps:
    """Both laps on one distance grid. B's distance is scaled to A's lap length, because
    integrated distances of two laps differ by a few metres and corners sit at fixed
    fractions of the lap."""

    grid: FloatArray
    time_a: FloatArray
    time_b: FloatArray
    scale_b: float

    @property
    def delta(self) -> FloatArray:
        """B's elapsed time minus A's: positive where B is behind."""
        return self.time_b - self.time_a


def align(a: LapTrace, b: LapTrace, step_m: float = GRID_STEP_M) -> AlignedLaps:
    scale_b = a.length_m / b.length_m if b.length_m > 0 else 1.0
    grid = np.arange(0.0, a.length_m, step_m)
    grid = np.append(grid, a.length_m)
    return AlignedLaps(grid, time_at(a, grid), time_at(b, grid, scale_b), scale_b)
