"""Build the 2024 Hungarian GP qualifying snapshot from the raw FastF1 export in the sample pack.

The export holds each driver's best lap only (car telemetry + position data), the session
results, weather, track status, race-control messages and circuit corners. So this snapshot
has one lap per driver; stints are derived from those laps and pit stops are absent.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pitwall_telemetry.loading.bundle import SessionBundle, integrate_distance, seconds
from pitwall_telemetry.snapshots.store import SessionId

HUNGARY_2024_Q = SessionId(2024, 13, "Q")
SESSION_FILE = "2024_Hungarian_GP_Qualifying.json"
ONE_LAP_NOTE = ("Telemetry-only sample: the source export holds each driver's best lap only, "
                "so the laps table has one lap per driver and there are no pit stops.")


def _records(session_data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return list(session_data.get(name, {}).get("records", []))


def _results(records: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame({
        "position": [r.get("Position") for r in records],
        "classified_position": [r.get("ClassifiedPosition") or None for r in records],
        "abbreviation": [r["Abbreviation"] for r in records],
        "driver_number": [str(r.get("DriverNumber", "")) for r in records],
        "full_name": [r.get("FullName", "") for r in records],
        "team": [r.get("TeamName", "") for r in records],
        "team_colour": [r.get("TeamColor", "") or "" for r in records],
        "grid": [r.get("GridPosition") for r in records],
        "status": [r.get("Status") or None for r in records],
        "points": [r.get("Points") for r in records],
        "q1_s": [seconds(r.get("Q1")) for r in records],
        "q2_s": [seconds(r.get("Q2")) for r in records],
        "q3_s": [seconds(r.get("Q3")) for r in records],
        "time_s": [seconds(r.get("Time")) for r in records],
        "laps": [None for _ in records],
    }).astype({"position": float, "grid": float, "points": float, "laps": float})


def _lap_row(abbr: str, d: dict[str, Any]) -> dict[str, Any]:
    details = d.get("lap_details", {})
    sectors = [seconds(s) for s in d.get("sector_times", [None, None, None])]
    tel = d["telemetry"]
    start = seconds(tel["SessionTime"][0])
    offset = seconds(tel["Time"][0])
    return {
        "driver": abbr, "lap_number": int(d["lap_number"]),
        "lap_time_s": round(float(d["lap_time_seconds"]), 3),
        "sector1_s": sectors[0], "sector2_s": sectors[1], "sector3_s": sectors[2],
        "compound": d.get("compound"), "tyre_life": d.get("tyre_life"),
        "fresh_tyre": bool(details.get("FreshTyre")) if details.get("FreshTyre") is not None
        else None,
        "stint": details.get("Stint"), "is_accurate": bool(details.get("IsAccurate")),
        "is_personal_best": bool(details.get("IsPersonalBest")),
        "pit_in": False, "pit_out": False, "pit_in_time_s": None, "pit_out_time_s": None,
        "track_status": details.get("TrackStatus"),
        "speed_i1": details.get("SpeedI1"), "speed_i2": details.get("SpeedI2"),
        "speed_fl": details.get("SpeedFL"), "speed_st": details.get("SpeedST"),
        "deleted": bool(details.get("Deleted")),
        "lap_start_s": None if start is None or offset is None else round(start - offset, 3),
        "position": details.get("Position"), "team": d.get("team"),
    }


def lap_telemetry_frame(abbr: str, d: dict[str, Any]) -> pd.DataFrame:
    tel, pos = d["telemetry"], d["position_data"]
    session_time = np.array([seconds(t) for t in tel["SessionTime"]], dtype=float)
    lap_time = np.array([seconds(t) for t in tel["Time"]], dtype=float)
    speed = np.asarray(tel["Speed"], dtype=float)
    pos_time = np.array([seconds(t) for t in pos["SessionTime"]], dtype=float)
    return pd.DataFrame({
        "lap_number": np.full(len(lap_time), int(d["lap_number"]), dtype=np.int32),
        "time": lap_time,
        "distance": integrate_distance(lap_time, speed),
        "speed": speed,
        "throttle": np.asarray(tel["Throttle"], dtype=float),
        "brake": np.asarray(tel["Brake"], dtype=float),
        "gear": np.asarray(tel["nGear"], dtype=float),
        "rpm": np.asarray(tel["RPM"], dtype=float),
        "drs": np.asarray(tel["DRS"], dtype=float),
        # position data is sampled on its own clock: place it on the car samples' clock
        "x": np.interp(session_time, pos_time, np.asarray(pos["X"], dtype=float)),
        "y": np.interp(session_time, pos_time, np.asarray(pos["Y"], dtype=float)),
    })


def _frame(records: list[dict[str, Any]], mapping: dict[str, str],
           times: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.DataFrame({new: [r.get(old) for r in records] for old, new in mapping.items()})
    for column in times:
        frame[column] = [seconds(v) for v in frame[column]]
    return frame


def build_hungary_bundle(raw_dir: Path) -> SessionBundle:
    source = json.loads((raw_dir / SESSION_FILE).read_text())
    session_data = source["session_data"]
    drivers: dict[str, dict[str, Any]] = source["drivers"]
    results = _results(_records(session_data, "session_results"))
    laps = pd.DataFrame([_lap_row(a, d) for a, d in drivers.items()])
    laps = laps.sort_values("lap_time_s", kind="stable").reset_index(drop=True)
    telemetry = {abbr: lap_telemetry_frame(abbr, d) for abbr, d in drivers.items()}
    pole = str(results.sort_values("position")["abbreviation"].iloc[0])
    outline = telemetry[pole][["x", "y", "distance"]].copy()
    corners = _frame(session_data["circuit_info"]["corners"],
                     {"Number": "number", "Letter": "letter", "Distance": "distance_m",
                      "X": "x", "Y": "y", "Angle": "angle"})
    corners["number"] = corners["number"].astype(int)
    stints = laps[["driver", "stint", "compound", "fresh_tyre", "lap_number", "tyre_life"]].rename(
        columns={"lap_number": "first_lap"})
    stints["last_lap"] = stints["first_lap"]
    stints["laps"] = 1
    info = source["session_info"]
    meta = {
        "session": {"year": 2024, "round": HUNGARY_2024_Q.round, "event_name": info["event"],
                    "country": info.get("country", ""), "location": info.get("track", ""),
                    "session": "Q", "session_name": info["session"],
                    "date": info.get("session_date")},
        "drivers": [{"abbreviation": r.abbreviation, "number": r.driver_number,
                     "full_name": r.full_name, "team": r.team, "team_colour": r.team_colour}
                    for r in results.itertuples()],
        "source": "raw FastF1 export (best lap per driver)",
        "notes": [ONE_LAP_NOTE],
        "missing": ["pitstops"],
        "has_telemetry": True,
        "track_length_m": round(float(outline["distance"].iloc[-1]), 1),
        "rotation_deg": 0.0,
        "created_at": datetime.now(UTC).isoformat(),
        "fastf1_version": "",
    }
    tables = {
        "results": results, "laps": laps, "stints": stints,
        "weather": _frame(_records(session_data, "weather_data"),
                          {"Time": "time_s", "AirTemp": "air_temp", "TrackTemp": "track_temp",
                           "Humidity": "humidity", "Pressure": "pressure",
                           "Rainfall": "rainfall", "WindDirection": "wind_direction",
                           "WindSpeed": "wind_speed"}, times=("time_s",)),
        "race_control": _frame(_records(session_data, "race_control_messages"),
                               {"Time": "time", "Category": "category", "Message": "message",
                                "Status": "status", "Flag": "flag", "Scope": "scope",
                                "Sector": "sector", "RacingNumber": "racing_number",
                                "Lap": "lap"}),
        "track_status": _frame(_records(session_data, "track_status"),
                               {"Time": "time_s", "Status": "status", "Message": "message"},
                               times=("time_s",)),
        "corners": corners, "outline": outline,
    }
    return SessionBundle(HUNGARY_2024_Q, tables, telemetry, meta)
