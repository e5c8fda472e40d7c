"""Sessions, laps, telemetry and session tables (telemetry-svc through the gateway).

Tables come as DataFrames with FastF1's column names and dtypes (``names="fastf1"``,
the default) or the API's own names with times in seconds (``names="pitwall"``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from pitwall_client.calls import (
    SESSION,
    SessionTableRead,
    get,
    joined,
    read_json,
    read_table,
    read_text,
    reading,
    session_params,
)
from pitwall_client.endpoint import endpoint
from pitwall_client.flows import Call
from pitwall_client.frames import Names, records, table


@reading("corners")
def read_corners(response: Any) -> pd.DataFrame:
    return records(response.json()["corners"])


ALL_CHANNELS = "distance,time,speed,throttle,brake,gear,rpm,drs,x,y"
SESSION_TABLES = ("stints", "pitstops", "weather", "race-control", "track-status")


def session_table_call(year: int, event: str, session: str, table_name: str,
                       names: Names) -> Call[pd.DataFrame]:
    if table_name not in SESSION_TABLES:
        raise ValueError(f"table_name must be one of {', '.join(SESSION_TABLES)}")
    return get(SESSION + "/" + table_name, read_table("rows", names),
               session_params(year, event, session), names=names)


def _session_table(table_name: str) -> SessionTableRead[pd.DataFrame]:
    def describe(client: Any, /, year: int, event: str, session: str,
                 names: Names = "fastf1") -> Call[pd.DataFrame]:
        return session_table_call(year, event, session, table_name, names)

    describe.__doc__ = f"The session's {table_name} table (FastF1 names unless ``names``)."
    return describe


class TelemetryEndpoints:
    @endpoint
    def schedule(self, year: int) -> Call[pd.DataFrame]:
        """A season's events: round, event_name, country, location, event_date, sessions."""
        return get("/api/v1/telemetry/seasons/{year}/schedule",
                   lambda r: records(r.json()), {"year": year})

    @endpoint
    def samples(self) -> Call[pd.DataFrame]:
        """The sessions of the offline sample pack, with their load state."""
        return get("/api/v1/telemetry/samples", lambda r: records(r.json()), {})

    @endpoint
    def session(self, year: int, event: str, session: str) -> Call[dict[str, Any]]:
        """Session info: ``session`` (reference), ``drivers``, ``results``, ``missing``..."""
        return get(SESSION, read_json, session_params(year, event, session))

    @endpoint
    def session_status(self, year: int, event: str, session: str) -> Call[dict[str, Any]]:
        return get(SESSION + "/status", read_json,
                   session_params(year, event, session))

    @endpoint
    def results(self, year: int, event: str, session: str,
                names: Names = "fastf1") -> Call[pd.DataFrame]:
        """Classification: Position, Abbreviation, TeamName, GridPosition, Q1..Q3, Time..."""
        return get(SESSION, read_table("results", names),
                   session_params(year, event, session), names=names)

    @endpoint
    def laps(self, year: int, event: str, session: str, *,
             driver: str | Iterable[str] | None = None, compound: str | None = None,
             stint: int | None = None, accurate_only: bool | None = None,
             quick_only: bool | None = None, names: Names = "fastf1") -> Call[pd.DataFrame]:
        """Laps like FastF1's ``session.laps``: Driver, LapNumber, LapTime (timedelta64),
        Sector1Time.., Compound, TyreLife, Stint, IsPersonalBest, ..."""
        return get(SESSION + "/laps", read_table("laps", names),
                   session_params(year, event, session), driver=joined(driver),
                   compound=compound, stint=stint, accurate_only=accurate_only,
                   quick_only=quick_only, names=names)

    @endpoint
    def laps_csv(self, year: int, event: str, session: str, *,
                 driver: str | Iterable[str] | None = None, names: Names = "fastf1") -> Call[str]:
        """The laps as the API's CSV export (FastF1's ``to_csv`` format by default)."""
        return get(SESSION + "/laps", read_text, session_params(year, event, session),
                   driver=joined(driver), names=names, format="csv")

    @endpoint
    def lap_telemetry(self, year: int, event: str, session: str, driver: str,
                      lap: int | str = "fastest", *, channels: str | Iterable[str] = ALL_CHANNELS,
                      points: int | str | None = None,
                      names: Names = "fastf1") -> Call[pd.DataFrame]:
        """One lap's car data along distance: Distance, Speed, Throttle, Brake, nGear, RPM,
        DRS, X, Y (and Time as timedelta64). ``points="raw"`` gives the recorded samples."""
        params = session_params(year, event, session) | {"driver": driver, "lap": lap}
        return get(SESSION + "/laps/{driver}/{lap}/telemetry",
                   read_table("channels", names), params, channels=joined(channels),
                   points=points, names=names)

    @endpoint
    def compare(self, year: int, event: str, session: str, driver_a: str, driver_b: str, *,
                lap_a: int | str = "fastest", lap_b: int | str = "fastest",
                channels: str | Iterable[str] | None = None,
                points: int | str | None = None) -> Call[pd.DataFrame]:
        """Two laps on one distance grid: Distance, Delta (s, positive = B behind A) and
        each channel per driver (``Speed_NOR``, ``Speed_PIA``...); lap facts in ``.attrs``."""
        @reading("a", "b", "distance", "delta_s", "channels_a", "channels_b",
                 "sector_boundaries_m")
        def parse(response: Any) -> pd.DataFrame:
            body = response.json()
            a, b = body["a"], body["b"]
            columns: dict[str, Any] = {"Distance": body["distance"], "Delta": body["delta_s"]}
            for side, key in ((a, "channels_a"), (b, "channels_b")):
                for channel, values in body[key].items():
                    if channel != "distance":
                        columns[f"{channel.title()}_{side['driver']}"] = values
            frame = table(columns)
            frame.attrs.update(a=a, b=b, sector_boundaries_m=body.get("sector_boundaries_m"))
            return frame

        return get(SESSION + "/compare", parse, session_params(year, event, session),
                   driver_a=driver_a, driver_b=driver_b, lap_a=lap_a, lap_b=lap_b,
                   channels=joined(channels), points=points)

    @endpoint
    def circuit(self, year: int, event: str, session: str) -> Call[dict[str, Any]]:
        """Track length, rotation, corners and the outline (see :meth:`circuit_corners`)."""
        return get(SESSION + "/circuit", read_json, session_params(year, event, session))

    @endpoint
    def circuit_corners(self, year: int, event: str, session: str,
                        names: Names = "fastf1") -> Call[pd.DataFrame]:
        """Corners like FastF1's ``circuit_info.corners``: Number, Letter, Angle, Distance, X, Y."""
        return get(SESSION + "/circuit", read_corners,
                   session_params(year, event, session), names=names)

    @endpoint
    def session_table(self, year: int, event: str, session: str, table_name: str,
                      names: Names = "fastf1") -> Call[pd.DataFrame]:
        """One of ``stints``, ``pitstops``, ``weather``, ``race-control``, ``track-status``."""
        return session_table_call(year, event, session, table_name, names)

    stints = endpoint(_session_table("stints"))
    pit_stops = endpoint(_session_table("pitstops"))
    weather = endpoint(_session_table("weather"))
    race_control = endpoint(_session_table("race-control"))
    track_status = endpoint(_session_table("track-status"))
