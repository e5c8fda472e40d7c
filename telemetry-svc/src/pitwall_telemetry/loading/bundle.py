"""What a loader hands the snapshot store: normalized tables, per-driver telemetry, metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pitwall_telemetry.snapshots.store import SessionId


@dataclass
class SessionBundle:
    session: SessionId
    tables: dict[str, pd.DataFrame]
    telemetry: dict[str, pd.DataFrame] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)


def seconds(value: Any) -> float | None:
    """A pandas Timedelta (or its string form) as seconds rounded to the millisecond."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    delta = pd.Timedelta(value)
    if pd.isna(delta):
        return None
    return round(delta.total_seconds(), 3)


def integrate_distance(time_s: np.ndarray, speed_kmh: np.ndarray) -> np.ndarray:
    """Distance along the lap as FastF1's ``add_distance`` computes it: speed times the time
    step since the previous sample, summed from the lap start."""
    steps = np.diff(time_s, prepend=0.0)
    return np.cumsum(speed_kmh / 3.6 * steps)
