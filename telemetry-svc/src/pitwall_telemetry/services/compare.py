"""Two laps on one distance grid, with the time delta between them.

FastF1 3.9 dropped ``utils.delta_time``; this is our own. Each lap's elapsed time is known
exactly at three kinds of points from official timing: 0 at the start line, the cumulative
sector times at the sector lines and the lap time at the finish. Telemetry distance is
integrated from speed, so two laps disagree a little on where those lines are. Each lap's
distance is therefore mapped piecewise-linearly so its own sector lines land on common ones
(the mean of both laps' positions); between the lines its time comes from its telemetry.
Consequences, tested: the last delta equals the lap-time difference, and the delta at each
sector line equals the cumulative sector-time difference, both to the millisecond (the
values are rounded to 1 ms).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from pitwall_telemetry.services.traces import resample_on
from pitwall_telemetry.snapshots.tables import Table

DELTA_DECIMALS = 3


@dataclass
class LapCurve:
    """One lap as elapsed time against fraction of the lap, plus its telemetry."""

    samples: Table
    fraction: np.ndarray  # of each sample (before anchoring to common sector lines)
    curve_fraction: np.ndarray  # with the start and finish points added
    curve_time: np.ndarray
    length_m: float
    sector_fractions: list[float]


def lap_curve(samples: Table, lap_time_s: float, sectors: list[float | None]) -> LapCurve:
    time = samples["time"].astype(float)
    distance = samples["distance"].astype(float)
    # extend to the finish line at the last measured speed: the last sample precedes it
    tail = max(lap_time_s - float(time[-1]), 0.0) * float(samples["speed"][-1]) / 3.6
    length = float(distance[-1]) + tail
    inside = (time > 0) & (time < lap_time_s)
    curve_time = np.concatenate(([0.0], time[inside], [lap_time_s]))
    curve_fraction = np.concatenate(([0.0], distance[inside] / length, [1.0]))
    curve_fraction = np.maximum.accumulate(curve_fraction)
    sector_fractions: list[float] = []
    if len(sectors) == 3 and all(s is not None for s in sectors[:2]):
        elapsed = np.cumsum([float(s) for s in sectors[:2] if s is not None])
        at_lines = np.interp(elapsed, curve_time, curve_fraction)
        sector_fractions = [float(f) for f in at_lines]
        # put the sector lines on the curve itself, so the warp moves them exactly
        order = np.argsort(np.concatenate((curve_time, elapsed)), kind="stable")
        curve_time = np.concatenate((curve_time, elapsed))[order]
        curve_fraction = np.concatenate((curve_fraction, at_lines))[order]
    return LapCurve(samples, distance / length, curve_fraction, curve_time, length,
                    sector_fractions)


def _warp(fractions: np.ndarray, own: list[float], common: list[float]) -> np.ndarray:
    return np.interp(fractions, [0.0, *own, 1.0], [0.0, *common, 1.0])


def compare_laps(a: LapCurve, b: LapCurve, points: int,
                 channels: tuple[str, ...]) -> dict[str, Any]:
    anchored = len(a.sector_fractions) == 2 and len(b.sector_fractions) == 2
    common = ([float((x + y) / 2) for x, y in zip(a.sector_fractions, b.sector_fractions,
                                                  strict=True)] if anchored else [])
    own_a = a.sector_fractions if anchored else []
    own_b = b.sector_fractions if anchored else []
    grid = np.unique(np.concatenate((np.linspace(0.0, 1.0, points), common)))
    time_a = np.interp(grid, _warp(a.curve_fraction, own_a, common), a.curve_time)
    time_b = np.interp(grid, _warp(b.curve_fraction, own_b, common), b.curve_time)
    length = a.length_m
    grid_m = grid * length
    channels_without_distance = tuple(c for c in channels if c != "distance")
    return {
        "points": int(grid.size),
        "distance": np.round(grid_m, 1),
        "delta_s": np.round(time_b - time_a, DELTA_DECIMALS),
        "channels_a": resample_on(a.samples, grid_m,
                                  _warp(a.fraction, own_a, common) * length,
                                  channels_without_distance),
        "channels_b": resample_on(b.samples, grid_m,
                                  _warp(b.fraction, own_b, common) * length,
                                  channels_without_distance),
        "sector_boundaries_m": [round(f * length, 1) for f in common],
    }
