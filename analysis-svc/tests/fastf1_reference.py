"""FastF1 itself, in the test process, over the frozen responses of the sample pack: the
reference the race-weekend facts are checked against. Nothing here calls analysis code."""

from __future__ import annotations

import statistics
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from pitwall_telemetry.fastf1_setup import configure_offline
from pitwall_telemetry.sample_pack import SAMPLE_DATA_DIR, frozen_http_dir


@lru_cache(maxsize=8)
def load(year: int, event: str, code: str, cache_dir: Path) -> Any:
    import fastf1

    configure_offline(frozen_http_dir(SAMPLE_DATA_DIR), cache_dir)
    session = fastf1.get_session(year, event, code)
    session.load(laps=True, telemetry=False, weather=False, messages=False)
    return session


def seconds(value: Any) -> float | None:
    return None if pd.isna(value) else pd.Timedelta(value).total_seconds()


def lap_table(session: Any) -> dict[tuple[str, int], dict[str, Any]]:
    """(driver, lap) -> Time, LapTime, Position, PitIn, PitOut, TrackStatus."""
    table = {}
    for lap in session.laps.itertuples():
        table[(lap.Driver, int(lap.LapNumber))] = {
            "time": seconds(lap.Time), "lap_time": seconds(lap.LapTime),
            "position": None if pd.isna(lap.Position) else int(lap.Position),
            "pit_in": not pd.isna(lap.PitInTime), "pit_out": not pd.isna(lap.PitOutTime),
            "status": str(lap.TrackStatus), "driver": lap.Driver,
        }
    return table


def stop_cost(laps: dict[tuple[str, int], dict[str, Any]], driver: str,
              in_lap: int) -> tuple[float | None, int]:
    """In-lap + out-lap minus the median over cars that pitted on neither lap of their own
    two lap times; None with fewer than three such cars. Returns (cost, cars)."""
    drivers = {d for d, _ in laps}
    sums = []
    for other in sorted(drivers - {driver}):
        pair = [laps.get((other, in_lap)), laps.get((other, in_lap + 1))]
        if any(lap is None or lap["pit_in"] or lap["pit_out"] or lap["lap_time"] is None
               for lap in pair):
            continue
        sums.append(sum(lap["lap_time"] for lap in pair if lap))
    own_laps = [laps[(driver, in_lap)]["lap_time"], laps[(driver, in_lap + 1)]["lap_time"]]
    if None in own_laps or len(sums) < 3:
        return None, len(sums)
    return sum(own_laps) - statistics.median(sums), len(sums)


def leader_status_ranges(laps: dict[tuple[str, int], dict[str, Any]],
                         digits: str) -> list[tuple[int, int]]:
    """Lap ranges where the P1 car's lap status has one of ``digits``."""
    numbers = sorted(n for (_, n), lap in laps.items()
                     if lap["position"] == 1 and set(digits) & set(lap["status"]))
    ranges: list[list[int]] = []
    for n in numbers:
        if ranges and ranges[-1][1] == n - 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    return [(a, b) for a, b in ranges]
