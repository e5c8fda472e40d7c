"""Reads the raw 2024 Hungary qualifying export directly, to compute expected values
independently of the service's code."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import pandas as pd

from pitwall_telemetry.sample_pack import SAMPLE_DATA_DIR, hungary_raw_dir

RAW = hungary_raw_dir(SAMPLE_DATA_DIR)


def td(value: str | None) -> float | None:
    return None if value is None else pd.Timedelta(value).total_seconds()


@lru_cache(maxsize=1)
def session() -> dict[str, Any]:
    return json.loads((RAW / "2024_Hungarian_GP_Qualifying.json").read_text())  # type: ignore[no-any-return]


@lru_cache(maxsize=32)
def driver(abbr: str) -> dict[str, Any]:
    path = RAW / "2024_Hungarian_GP_Qualifying_telemetry" / f"{abbr}_telemetry.json"
    return json.loads(path.read_text())  # type: ignore[no-any-return]


def summary() -> pd.DataFrame:
    return pd.read_csv(RAW / "2024_Hungarian_GP_Qualifying_summary.csv")
