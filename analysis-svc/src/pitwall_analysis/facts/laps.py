"""Helpers over the columnar laps table telemetry-svc returns."""

from __future__ import annotations

from typing import Any

import numpy as np

Columns = dict[str, list[Any]]

# Track status digits that neutralise a lap: 4 safety car, 5 red flag, 6 VSC, 7 VSC ending.
NEUTRALISED_STATUS = frozenset("4567")


def rows(table: Columns) -> list[dict[str, Any]]:
    names = list(table)
    if not names:
        return []
    return [dict(zip(names, values, strict=True)) for values in zip(*table.values(), strict=True)]


def is_set(value: Any) -> bool:
    """Pit flags arrive as booleans or as pit times; anything present and truthy counts."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float):
        return not np.isnan(value)
    return bool(value)


def compound_name(value: Any) -> str | None:
    """Tyre compound, or None where the source left it blank (None, "", "nan")."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip().upper()
    return None if text in ("", "NAN", "NONE", "UNKNOWN") else text


def neutralised(status: Any) -> bool:
    return status is not None and bool(NEUTRALISED_STATUS.intersection(str(status)))


def driver_rows(table: Columns, driver: str) -> list[dict[str, Any]]:
    return sorted((r for r in rows(table) if r.get("driver") == driver),
                  key=lambda r: r.get("lap_number") or 0)


def r(value: float | None, digits: int) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), digits)
