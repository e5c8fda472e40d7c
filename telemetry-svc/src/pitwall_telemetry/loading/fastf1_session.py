"""Normalize a loaded FastF1 session into the snapshot tables (runs in a loader process)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from pitwall_telemetry.loading.bundle import SessionBundle, integrate_distance
from pitwall_telemetry.snapshots.store import SessionId

LAP_COLUMNS = {
    "Driver": "driver", "LapNumber": "lap_number", "LapTime": "lap_time_s",
    "Sector1Time": "sector1_s", "Sector2Time": "sector2_s", "Sector3Time": "sector3_s",
    "Compound": "compound", "TyreLife": "tyre_life", "FreshTyre": "fresh_tyre",
    "Stint": "stint", "IsAccurate": "is_accurate", "IsPersonalBest": "is_personal_best",
    "PitInTime": "pit_in_time_s", "PitOutTime": "pit_out_time_s",
    "TrackStatus": "track_status", "SpeedI1": "speed_i1", "SpeedI2": "speed_i2",
    "SpeedFL": "speed_fl", "SpeedST": "speed_st", "Deleted": "deleted",
    "LapStartTime": "lap_start_s", "Position": "position", "Team": "team",
}
RESULT_COLUMNS = {
    "Position": "position", "ClassifiedPosition": "classified_position",
    "Abbreviation": "abbreviation", "DriverNumber": "driver_number", "FullName": "full_name",
    "TeamName": "team", "TeamColor": "team_colour", "GridPosition": "grid", "Status": "status",
    "Points": "points", "Q1": "q1_s", "Q2": "q2_s", "Q3": "q3_s", "Time": "time_s",
    "Laps": "laps",
}
WEATHER_COLUMNS = {
    "Time": "time_s", "AirTemp": "air_temp", "TrackTemp": "track_temp", "Humidity": "humidity",
    "Pressure": "pressure", "Rainfall": "rainfall", "WindDirection": "wind_direction",
    "WindSpeed": "wind_speed",
}
MESSAGE_COLUMNS = {
    "Time": "time", "Category": "category", "Message": "message", "Status": "status",
    "Flag": "flag", "Scope": "scope", "Sector": "sector", "RacingNumber": "racing_number",
    "Lap": "lap",
}


def _renamed(frame: pd.DataFrame, mapping: dict[str, str]) -> pd.DataFrame:
    out = pd.DataFrame(index=range(len(frame)))
    for old, new in mapping.items():
        column = frame[old] if old in frame else pd.Series([None] * len(frame))
        column = column.reset_index(drop=True)
        if pd.api.types.is_timedelta64_dtype(column):
            column = (column.dt.total_seconds()).round(3)
        out[new] = column
    return out


def _optional(session: Any, attribute: str, missing: list[str], part: str) -> Any:
    try:
        value = getattr(session, attribute)
    except Exception:  # FastF1 raises DataNotLoadedError (or worse) for absent parts
        missing.append(part)
        return None
    if value is None or (hasattr(value, "empty") and value.empty):
        missing.append(part)
        return None
    return value


def _laps(session: Any) -> pd.DataFrame:
    laps = _renamed(pd.DataFrame(session.laps), LAP_COLUMNS)
    laps["lap_number"] = laps["lap_number"].astype("Int64")
    laps["pit_in"] = laps["pit_in_time_s"].notna()
    laps["pit_out"] = laps["pit_out_time_s"].notna()
    for name in ("is_accurate", "is_personal_best", "deleted", "fresh_tyre"):
        laps[name] = laps[name].astype("boolean")
    laps["track_status"] = laps["track_status"].astype("string")
    return laps


def _results(session: Any) -> pd.DataFrame:
    results = _renamed(pd.DataFrame(session.results), RESULT_COLUMNS)
    results["classified_position"] = results["classified_position"].astype("string")
    results["driver_number"] = results["driver_number"].astype("string")
    for name in ("position", "grid", "points", "laps"):
        results[name] = pd.to_numeric(results[name], errors="coerce").astype(float)
    return results


def stints_from_laps(laps: pd.DataFrame) -> pd.DataFrame:
    with_stint = laps.dropna(subset=["stint"])
    grouped = with_stint.groupby(["driver", "stint"], sort=True)
    return grouped.agg(
        compound=("compound", "first"), fresh_tyre=("fresh_tyre", "first"),
        first_lap=("lap_number", "min"), last_lap=("lap_number", "max"),
        laps=("lap_number", "count"), tyre_life=("tyre_life", "min"),
    ).reset_index()


def pitstops_from_laps(laps: pd.DataFrame) -> pd.DataFrame:
    """One row per pit stop: the in-lap, and the pit-out time of the driver's next lap."""
    ordered = laps.sort_values(["driver", "lap_number"]).reset_index(drop=True)
    following = ordered.groupby("driver")[["pit_out_time_s", "compound", "lap_number"]].shift(-1)
    stops = ordered["pit_in_time_s"].notna() & following["lap_number"].notna()
    rows = pd.DataFrame({
        "driver": ordered["driver"], "lap_number": ordered["lap_number"].astype(int),
        "pit_in_time_s": ordered["pit_in_time_s"],
        "pit_out_time_s": following["pit_out_time_s"],
        "pit_lane_s": (following["pit_out_time_s"] - ordered["pit_in_time_s"]).round(3),
        "compound_before": ordered["compound"], "compound_after": following["compound"],
    })
    return rows[stops].reset_index(drop=True)


def _driver_telemetry(session: Any, driver_laps: Any, *,
                      with_position: bool) -> pd.DataFrame | None:
    frames = []
    for _, lap in driver_laps.iterlaps():
        if pd.isna(lap["LapStartTime"]) or pd.isna(lap["Time"]):
            continue
        car = lap.get_car_data()
        # one position sample beyond each end, so x/y at the lap's first and last car
        # samples are interpolated rather than held at the nearest in-lap position
        pos = lap.get_pos_data(pad=1, pad_side="both") if with_position else None
        if car.empty:
            continue
        lap_time = (car["SessionTime"] - lap["LapStartTime"]).dt.total_seconds().to_numpy()
        speed = car["Speed"].to_numpy(dtype=float)
        car_clock = car["SessionTime"].dt.total_seconds().to_numpy()
        if pos is not None and not pos.empty:
            pos_clock = pos["SessionTime"].dt.total_seconds().to_numpy()
            x = np.interp(car_clock, pos_clock, pos["X"].to_numpy(dtype=float))
            y = np.interp(car_clock, pos_clock, pos["Y"].to_numpy(dtype=float))
        else:
            x = y = np.full(len(car), np.nan)
        frames.append(pd.DataFrame({
            "lap_number": np.full(len(car), int(lap["LapNumber"]), dtype=np.int32),
            "time": lap_time, "distance": integrate_distance(lap_time, speed), "speed": speed,
            "throttle": car["Throttle"].to_numpy(dtype=float),
            "brake": car["Brake"].to_numpy(dtype=float),
            "gear": car["nGear"].to_numpy(dtype=float), "rpm": car["RPM"].to_numpy(dtype=float),
            "drs": car["DRS"].to_numpy(dtype=float), "x": x, "y": y,
        }))
    return pd.concat(frames, ignore_index=True) if frames else None


def _telemetry(session: Any, missing: list[str]) -> dict[str, pd.DataFrame]:
    try:
        car_data = session.car_data
        pos_data = session.pos_data
    except Exception:  # DataNotLoadedError when the source had no car data
        missing.append("telemetry")
        return {}
    out = {}
    for number in session.drivers:
        if number not in car_data:
            continue
        driver_laps = session.laps.pick_drivers(number)
        if driver_laps.empty:
            continue
        # without position data the car channels are still worth keeping; x/y stay empty
        frame = _driver_telemetry(session, driver_laps, with_position=number in pos_data)
        if frame is not None:
            out[str(driver_laps["Driver"].iloc[0])] = frame
    if not out:
        missing.append("telemetry")
    return out


def _circuit(session: Any, telemetry: dict[str, pd.DataFrame],
             missing: list[str]) -> tuple[pd.DataFrame | None, pd.DataFrame | None, float]:
    corners = outline = None
    rotation = 0.0
    try:
        info = session.get_circuit_info()
        frame = info.corners.rename(columns={"Number": "number", "Letter": "letter",
                                             "Distance": "distance_m", "X": "x", "Y": "y",
                                             "Angle": "angle"})
        corners = frame[["number", "letter", "distance_m", "x", "y", "angle"]]
        rotation = float(info.rotation)
    except Exception:  # needs position data (and an upstream the frozen pack may lack)
        missing.append("circuit")
    if telemetry:
        fastest = session.laps.pick_fastest()
        if fastest is not None and str(fastest["Driver"]) in telemetry:
            driver_tel = telemetry[str(fastest["Driver"])]
            lap = driver_tel[driver_tel["lap_number"] == int(fastest["LapNumber"])]
            if lap["x"].notna().any():  # no outline from a lap without position data
                outline = lap[["x", "y", "distance"]].reset_index(drop=True)
    return corners, outline, rotation


def bundle_from_fastf1(session: Any, session_id: SessionId) -> SessionBundle:
    import fastf1

    missing: list[str] = []
    laps = _laps(session)
    results = _results(session)
    tables: dict[str, pd.DataFrame] = {
        "results": results, "laps": laps, "stints": stints_from_laps(laps),
        "pitstops": pitstops_from_laps(laps),
    }
    weather = _optional(session, "weather_data", missing, "weather")
    if weather is not None:
        tables["weather"] = _renamed(weather, WEATHER_COLUMNS)
    messages = _optional(session, "race_control_messages", missing, "race_control")
    if messages is not None:
        rc = _renamed(messages, MESSAGE_COLUMNS)
        rc["time"] = rc["time"].astype(str)
        tables["race_control"] = rc.astype({"racing_number": "string", "sector": float,
                                            "lap": float})
    status = _optional(session, "track_status", missing, "track_status")
    if status is not None:
        tables["track_status"] = _renamed(status, {"Time": "time_s", "Status": "status",
                                                   "Message": "message"})
    telemetry = _telemetry(session, missing)
    corners, outline, rotation = _circuit(session, telemetry, missing)
    if corners is not None:
        tables["corners"] = corners
    if outline is not None:
        tables["outline"] = outline
    event = session.event
    meta = {
        "session": {"year": session_id.year, "round": session_id.round,
                    "event_name": str(event["EventName"]), "country": str(event["Country"]),
                    "location": str(event["Location"]), "session": session_id.code,
                    "session_name": str(session.name),
                    "date": None if pd.isna(session.date) else session.date.isoformat()},
        "drivers": [{"abbreviation": r.abbreviation, "number": str(r.driver_number),
                     "full_name": r.full_name, "team": r.team,
                     "team_colour": r.team_colour if isinstance(r.team_colour, str) else ""}
                    for r in results.itertuples()],
        "source": "FastF1",
        "notes": [],
        "missing": missing,
        "has_telemetry": bool(telemetry),
        "track_length_m": None if outline is None else round(float(outline["distance"].max()), 1),
        "rotation_deg": rotation,
        "created_at": datetime.now(UTC).isoformat(),
        "fastf1_version": fastf1.__version__,
    }
    return SessionBundle(session_id, tables, telemetry, meta)
