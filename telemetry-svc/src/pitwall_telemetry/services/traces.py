"""Lap telemetry: one lap's samples, channel selection and resampling along distance."""

from __future__ import annotations

import numpy as np

from pitwall_shared.contracts.telemetry import TELEMETRY_CHANNELS
from pitwall_shared.problems import ProblemError
from pitwall_telemetry.services.catalog import Catalog, Snapshot
from pitwall_telemetry.snapshots.tables import Table

DEFAULT_CHANNELS = ("distance", "speed", "throttle", "brake", "gear")
DEFAULT_POINTS = 300
MIN_POINTS, MAX_POINTS = 10, 5000
# Channels that hold a state, not a measurement: resample by holding the last value.
STEP_CHANNELS = {"gear", "drs", "brake"}
DECIMALS = {"distance": 1, "time": 3, "speed": 1, "throttle": 1, "brake": 0, "gear": 0,
            "rpm": 0, "drs": 0, "x": 1, "y": 1}


def parse_channels(text: str | None) -> tuple[str, ...]:
    if not text:
        return DEFAULT_CHANNELS
    asked = [c.strip().lower() for c in text.split(",") if c.strip()]
    unknown = [c for c in asked if c not in TELEMETRY_CHANNELS]
    if unknown or not asked:
        raise ProblemError(422, f"Unknown channel(s): {', '.join(unknown) or '(none given)'}; "
                           f"valid channels are {', '.join(TELEMETRY_CHANNELS)}.",
                           slug="invalid-channel", valid_values=list(TELEMETRY_CHANNELS))
    return tuple(dict.fromkeys(asked))


def parse_points(text: str | None) -> int | None:
    """``None`` means raw samples."""
    if text is None or text == "":
        return DEFAULT_POINTS
    if text.strip().lower() == "raw":
        return None
    try:
        points = int(text)
    except ValueError:
        points = -1
    if not MIN_POINTS <= points <= MAX_POINTS:
        raise ProblemError(422, f"points must be an integer from {MIN_POINTS} to {MAX_POINTS} "
                           f"or 'raw', not '{text}'.", slug="invalid-points",
                           valid_range=[MIN_POINTS, MAX_POINTS])
    return points


def lap_samples(catalog: Catalog, snap: Snapshot, driver: str, lap_number: int) -> Table:
    table = catalog.driver_telemetry(snap, driver)
    mask = table["lap_number"] == lap_number
    if not mask.any():
        raise ProblemError(404, f"There is no telemetry for {driver} lap {lap_number} in "
                           f"{snap.describe()}.", slug="data-not-available", missing="telemetry",
                           valid_values=sorted({int(n) for n in table["lap_number"]}))
    return {name: column[mask] for name, column in table.items() if name != "lap_number"}


def resample_on(samples: Table, grid: np.ndarray, distance: np.ndarray,
                channels: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Values of ``channels`` at ``grid`` positions, where ``distance`` places the samples."""
    out: dict[str, np.ndarray] = {}
    for name in channels:
        if name == "distance":
            values = grid
        elif name in STEP_CHANNELS:
            index = np.clip(np.searchsorted(distance, grid, side="right") - 1, 0, len(distance) - 1)
            values = samples[name][index].astype(float)
        else:
            values = np.interp(grid, distance, samples[name].astype(float))
        out[name] = np.round(values, DECIMALS[name])
    return out


def shape_trace(samples: Table, channels: tuple[str, ...],
                points: int | None) -> dict[str, np.ndarray]:
    distance = samples["distance"].astype(float)
    if points is None:
        return {name: np.round(samples[name].astype(float), DECIMALS[name]) for name in channels}
    grid = np.linspace(0.0, float(distance[-1]), points)
    return resample_on(samples, grid, distance, channels)


def with_session_time(trace: dict[str, np.ndarray],
                      lap_start_s: float | None) -> dict[str, np.ndarray]:
    """Adds ``session_time`` (lap start plus time into the lap, FastF1's SessionTime) after
    ``time``, when both are known."""
    if "time" not in trace or lap_start_s is None:
        return trace
    out: dict[str, np.ndarray] = {}
    for name, values in trace.items():
        out[name] = values
        if name == "time":
            out["session_time"] = np.round(values + float(lap_start_s), DECIMALS["time"])
    return out
