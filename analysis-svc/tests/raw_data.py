"""Readers for the raw frozen data files, used by tests to compute expected values on their
own, independently of the facts engine."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[2]
HUNGARY_CANDIDATES = (
    REPO / "telemetry-svc" / "sample-data" / "raw" / "2024-hungary-q",
    REPO.parent / "shared" / "data" / "lap-telemetry" / "2024-hungarian-gp-qualifying",
)


def hungary_dir() -> Path:
    for candidate in HUNGARY_CANDIDATES:
        if (candidate / "2024_Hungarian_GP_Qualifying.json").exists():
            return candidate
    raise FileNotFoundError("2024 Hungary qualifying raw telemetry is not in the repository")


def seconds(value: str | None) -> float | None:
    return None if value is None else pd.Timedelta(value).total_seconds()


@lru_cache(maxsize=32)
def driver_file(driver: str) -> dict[str, Any]:
    path = hungary_dir() / "2024_Hungarian_GP_Qualifying_telemetry" / f"{driver}_telemetry.json"
    return json.loads(path.read_text())  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def session_file() -> dict[str, Any]:
    return json.loads((hungary_dir() / "2024_Hungarian_GP_Qualifying.json").read_text())  # type: ignore[no-any-return]


@lru_cache(maxsize=32)
def raw_channels(driver: str) -> dict[str, np.ndarray]:
    """Samples with distance from the line: the first sample comes ``time[0]`` after the
    line at roughly its own speed, then speed is integrated sample by sample."""
    tel = driver_file(driver)["telemetry"]
    time = pd.to_timedelta(pd.Series(tel["Time"])).dt.total_seconds().to_numpy()
    speed = np.array(tel["Speed"], dtype=float)
    distance = speed[0] / 3.6 * time[0] + np.concatenate(
        [[0.0], np.cumsum(speed[1:] / 3.6 * np.diff(time))])
    return {
        "distance": distance, "time": time, "speed": speed,
        "throttle": np.array(tel["Throttle"], dtype=float),
        "brake": np.array(tel["Brake"], dtype=float),
        "gear": np.array(tel["nGear"], dtype=float),
        "drs": np.array(tel["DRS"], dtype=float),
    }


def sector_times(driver: str) -> list[float]:
    return [seconds(s) or 0.0 for s in driver_file(driver)["sector_times"]]


def lap_time(driver: str) -> float:
    return float(driver_file(driver)["lap_time_seconds"])


def corners() -> list[dict[str, Any]]:
    return session_file()["session_data"]["circuit_info"]["corners"]  # type: ignore[no-any-return]


def drivers() -> list[str]:
    return sorted(p.name.split("_")[0] for p in
                  (hungary_dir() / "2024_Hungarian_GP_Qualifying_telemetry").glob("*.json"))
