"""Table exports: CSV bodies, download responses, and FastF1's column names and units.

Every table a service answers is columnar (column name -> one sequence per column, all one
length). A route that offers exports takes two query parameters:

- ``format``: ``json`` (default) or ``csv``. CSV is UTF-8 with a header row, ``,`` as
  separator, missing values as empty cells, booleans as ``True``/``False``; it is sent as an
  attachment named by :func:`export_filename`.
- ``names``: ``pitwall`` (default; the service's own snake_case names, times in seconds) or
  ``fastf1``: FastF1's column names (``LapTime``, ``Sector1Time``, ``nGear``...) and units.

FastF1 holds times as ``pandas.Timedelta``. Under ``names=fastf1`` every time column is a
pandas Timedelta string at microsecond precision, in JSON and CSV alike, as FastF1's own
``DataFrame.to_csv`` writes them: ``"0 days 00:01:15.273000"`` (whole seconds without a
fraction, ``"0 days 00:01:15"``; negative values pandas-style, ``"-1 days +23:59:58.500000"``).
``pandas.to_timedelta`` reads them back exactly. Columns FastF1 has no counterpart for either
get a FastF1-style name (stints, pit stops) or are dropped when a FastF1 column already
carries the same information (``pit_in``: use ``PitInTime``).

A table's FastF1 mapping is a ``{pitwall_name: FastF1Column}`` dict; :data:`FASTF1_COLUMNS`
holds those of the telemetry tables, and a service with tables of its own passes its own
mapping to :func:`to_fastf1`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from starlette.responses import Response

TableNames = Literal["pitwall", "fastf1"]
ExportFormat = Literal["json", "csv"]
Unit = Literal["same", "timedelta", "bool", "int"]
Columns = Mapping[str, Iterable[Any]]  # lists, numpy arrays...

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
_MICROS_PER_DAY = 86_400_000_000


@dataclass(frozen=True, slots=True)
class FastF1Column:
    """A pitwall column as FastF1 names it, and how its values convert.

    ``unit``: ``same`` (value unchanged), ``timedelta`` (seconds -> Timedelta string),
    ``bool`` (0/1 or a pressure -> ``True`` when above 0), ``int`` (whole number, e.g. gear).
    ``name=None`` drops the column under FastF1 names.
    """

    name: str | None
    unit: Unit = "same"


def _same(names: str) -> dict[str, FastF1Column]:
    """Columns whose pitwall name is the FastF1 name in snake_case and whose unit is FastF1's."""
    mapping = {}
    for name in names.split():
        pitwall = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
        mapping[pitwall] = FastF1Column(name)
    return mapping


LAPS = {
    "driver": FastF1Column("Driver"), "driver_number": FastF1Column("DriverNumber"),
    "lap_number": FastF1Column("LapNumber"), "lap_time_s": FastF1Column("LapTime", "timedelta"),
    "sector1_s": FastF1Column("Sector1Time", "timedelta"),
    "sector2_s": FastF1Column("Sector2Time", "timedelta"),
    "sector3_s": FastF1Column("Sector3Time", "timedelta"),
    **_same("Compound TyreLife FreshTyre Stint IsAccurate IsPersonalBest TrackStatus Deleted "
            "Position Team"),
    "pit_in": FastF1Column(None), "pit_out": FastF1Column(None),  # = PitInTime/PitOutTime set
    "pit_in_time_s": FastF1Column("PitInTime", "timedelta"),
    "pit_out_time_s": FastF1Column("PitOutTime", "timedelta"),
    "speed_i1": FastF1Column("SpeedI1"), "speed_i2": FastF1Column("SpeedI2"),
    "speed_fl": FastF1Column("SpeedFL"), "speed_st": FastF1Column("SpeedST"),
    "lap_start_s": FastF1Column("LapStartTime", "timedelta"),
}
RESULTS = {
    **_same("Position ClassifiedPosition Abbreviation DriverNumber FullName Status Points Laps"),
    "team": FastF1Column("TeamName"), "team_colour": FastF1Column("TeamColor"),
    "grid": FastF1Column("GridPosition"), "q1_s": FastF1Column("Q1", "timedelta"),
    "q2_s": FastF1Column("Q2", "timedelta"), "q3_s": FastF1Column("Q3", "timedelta"),
    "time_s": FastF1Column("Time", "timedelta"),
}
WEATHER = {
    "time_s": FastF1Column("Time", "timedelta"),
    **_same("AirTemp TrackTemp Humidity Pressure WindDirection WindSpeed"),
    "rainfall": FastF1Column("Rainfall", "bool"),
}
RACE_CONTROL = {  # FastF1's Time here is a date and time of day, kept as written
    **_same("Time Category Message Status Flag Scope Sector RacingNumber Lap"),
}
TRACK_STATUS = {"time_s": FastF1Column("Time", "timedelta"), **_same("Status Message")}
CORNERS = {**_same("Number Letter Angle"), "distance_m": FastF1Column("Distance"),
           "x": FastF1Column("X"), "y": FastF1Column("Y")}
TELEMETRY = {
    "distance": FastF1Column("Distance"), "time": FastF1Column("Time", "timedelta"),
    "session_time": FastF1Column("SessionTime", "timedelta"), "speed": FastF1Column("Speed"),
    "throttle": FastF1Column("Throttle"), "brake": FastF1Column("Brake", "bool"),
    "gear": FastF1Column("nGear", "int"), "rpm": FastF1Column("RPM"),
    "drs": FastF1Column("DRS", "int"), "x": FastF1Column("X"), "y": FastF1Column("Y"),
}
# FastF1 has no stint or pit-stop table: these use the names of the lap columns they come from
STINTS = {
    **_same("Driver Stint Compound FreshTyre TyreLife"),
    "first_lap": FastF1Column("FirstLapNumber"), "last_lap": FastF1Column("LastLapNumber"),
    "laps": FastF1Column("NumberOfLaps"),
}
PITSTOPS = {
    **_same("Driver LapNumber"), "pit_in_time_s": FastF1Column("PitInTime", "timedelta"),
    "pit_out_time_s": FastF1Column("PitOutTime", "timedelta"),
    "pit_lane_s": FastF1Column("PitLaneTime", "timedelta"),
    "compound_before": FastF1Column("CompoundBefore"),
    "compound_after": FastF1Column("CompoundAfter"),
}
FASTF1_COLUMNS: dict[str, dict[str, FastF1Column]] = {
    "laps": LAPS, "results": RESULTS, "weather": WEATHER, "race_control": RACE_CONTROL,
    "track_status": TRACK_STATUS, "corners": CORNERS, "telemetry": TELEMETRY,
    "stints": STINTS, "pitstops": PITSTOPS,
}


def _missing(value: Any) -> bool:
    """None, or NaN (of any float type: the one value unequal to itself)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:  # pandas' NA is neither equal nor unequal to itself: missing too
        return True


def timedelta_string(seconds: float | None) -> str | None:
    """Seconds as a pandas Timedelta string (microsecond precision); ``None`` stays ``None``."""
    if _missing(seconds):
        return None
    micros = round(float(seconds) * 1_000_000)  # type: ignore[arg-type]
    days, rest = divmod(micros, _MICROS_PER_DAY)  # floor: negative days, positive clock
    seconds_part, fraction = divmod(rest, 1_000_000)
    minutes, second = divmod(seconds_part, 60)
    hours, minute = divmod(minutes, 60)
    clock = f"{hours:02d}:{minute:02d}:{second:02d}" + (f".{fraction:06d}" if fraction else "")
    return f"{days} days {'+' if days < 0 else ''}{clock}"


def _plain(values: Iterable[Any]) -> Iterable[Any]:
    """numpy arrays as Python lists: formatting Python floats is several times faster."""
    tolist = getattr(values, "tolist", None)
    return tolist() if callable(tolist) else values


def _convert(values: Iterable[Any], unit: Unit) -> list[Any]:
    values = _plain(values)
    if unit == "timedelta":
        return [timedelta_string(v) for v in values]
    if unit == "bool":
        return [None if _missing(v) else bool(v > 0) for v in values]
    if unit == "int":
        return [None if _missing(v) else int(v) for v in values]
    return [None if _missing(v) else v for v in values]


def to_fastf1(columns: Columns, mapping: Mapping[str, FastF1Column]) -> dict[str, Any]:
    """Columns renamed and converted to FastF1's names and units, in the input's order.

    Columns absent from ``mapping`` pass through unchanged, so a new column is never lost.
    """
    out: dict[str, Any] = {}
    for name, values in columns.items():
        target = mapping.get(name)
        if target is None:
            out[name] = values
        elif target.name is not None:
            out[target.name] = _convert(values, target.unit)
    return out


def fastf1_table(table: str, columns: Columns) -> dict[str, Any]:
    """:func:`to_fastf1` with the mapping of one of the telemetry tables (``laps``...)."""
    return to_fastf1(columns, FASTF1_COLUMNS[table])


def rename_columns(columns: Columns, names: TableNames, table: str) -> Columns:
    """The columns as asked: unchanged for ``pitwall``, FastF1's for ``fastf1``."""
    return columns if names == "pitwall" else fastf1_table(table, columns)


def _cell(value: Any) -> Any:
    return "" if _missing(value) else value


def columns_to_csv(columns: Columns) -> bytes:
    """A columnar table as UTF-8 CSV bytes: a header row, then one row per index."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(columns))
    cells = (map(_cell, _plain(values)) for values in columns.values())
    writer.writerows(zip(*cells, strict=True))
    return buffer.getvalue().encode()


def _safe_part(text: str) -> str:
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-")


def export_filename(year: int, event: str, session: str, table: str, ext: str = "csv") -> str:
    """``2024-Hungary-Q-laps.csv``: ASCII letters, digits and ``-`` only, so it needs no
    quoting rules beyond the plain ``filename="..."`` and is safe on every file system."""
    parts = [_safe_part(p) for p in (str(year), event, session, table)]
    return "-".join(p for p in parts if p) + f".{_safe_part(ext) or 'csv'}"


def content_disposition(filename: str) -> str:
    return f'attachment; filename="{filename}"'


def csv_headers(filename: str) -> dict[str, str]:
    """The headers of a CSV download (for responses built elsewhere, e.g. with an ETag)."""
    return {"Content-Type": CSV_MEDIA_TYPE, "Content-Disposition": content_disposition(filename)}


def csv_response(body: bytes, filename: str, headers: Mapping[str, str] | None = None,
                 status_code: int = 200) -> Response:
    """A CSV download: ``text/csv; charset=utf-8`` and ``Content-Disposition: attachment``."""
    merged = {**(headers or {}), "Content-Disposition": content_disposition(filename)}
    return Response(body, status_code=status_code, media_type=CSV_MEDIA_TYPE, headers=merged)
