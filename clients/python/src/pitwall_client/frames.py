"""Columnar JSON tables as pandas DataFrames with FastF1's dtypes.

Under ``names=fastf1`` the API writes every time column as a pandas Timedelta string
(``"0 days 00:01:15.227000"``); those become ``timedelta64[ns]`` columns as in FastF1's own
DataFrames. Which columns are times is read from the values, so a column the API adds later
converts too. Under ``names=pitwall`` times stay seconds (float), as the API sends them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import pandas as pd

Names = Literal["fastf1", "pitwall"]
StrategyTable = Literal["stints", "pit-stops"]  # the analyses' table choices
PaceTable = Literal["drivers", "teams", "laps"]
_TIMEDELTA = re.compile(r"^-?\d+ days [+-]?\d{2}:\d{2}:\d{2}(\.\d+)?$")


def _is_timedelta_column(values: Sequence[Any]) -> bool:
    present = [v for v in values if v is not None]
    return bool(present) and all(isinstance(v, str) and _TIMEDELTA.match(v) for v in present)


def _column(values: Sequence[Any]) -> pd.Series:
    if _is_timedelta_column(values):
        return pd.Series(pd.to_timedelta(list(values)))
    series = pd.Series(list(values))
    if series.dtype == object and series.notna().all():
        return series.infer_objects()
    return series


def table(columns: Mapping[str, Sequence[Any]], *, convert: bool = True) -> pd.DataFrame:
    """One DataFrame from ``{column: values}``; ``convert`` turns Timedelta strings into
    ``timedelta64`` columns."""
    if not convert:
        return pd.DataFrame({name: list(values) for name, values in columns.items()})
    return pd.DataFrame({name: _column(values) for name, values in columns.items()})


def records(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """A list of objects (a schedule, a list of fastest laps...) as a DataFrame."""
    return pd.DataFrame(list(rows))
