"""Columnar tables as the service holds them: column name -> numpy array, all one length."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

Table = dict[str, np.ndarray]


def table_length(table: Table) -> int:
    return len(next(iter(table.values()))) if table else 0


def table_nbytes(table: Table) -> int:
    total = 0
    for column in table.values():
        total += column.nbytes
        if column.dtype == object:  # the array holds pointers; count the strings too
            total += sum(len(v) for v in column if isinstance(v, str)) + 50 * len(column)
    return total


def from_arrow(arrow: pa.Table) -> Table:
    table: Table = {}
    for name in arrow.column_names:
        column = arrow.column(name)
        if pa.types.is_integer(column.type) and column.null_count:
            table[name] = column.to_numpy(zero_copy_only=False).astype(float)
        elif pa.types.is_boolean(column.type) and column.null_count:
            table[name] = np.array(column.to_pylist(), dtype=object)
        else:
            table[name] = column.to_numpy(zero_copy_only=False)
    return table


def read_table(path: Path) -> Table:
    return from_arrow(pq.read_table(path))


def select(table: Table, mask: np.ndarray) -> Table:
    return {name: column[mask] for name, column in table.items()}


def to_columns(table: Table) -> dict[str, Any]:
    """JSON-ready columns: numeric arrays pass to orjson as they are (NaN becomes null);
    object arrays become lists with NaN/None as null."""
    out: dict[str, Any] = {}
    for name, column in table.items():
        if column.dtype == object:
            out[name] = [None if _is_missing(v) else v for v in column.tolist()]
        elif column.dtype.kind == "M":
            out[name] = [None if np.isnat(v) else str(v) for v in column]
        else:
            out[name] = column
    return out


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)
