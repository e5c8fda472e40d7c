"""DataFrames from the real stack: FastF1's names and dtypes by default, Pitwall's on request.

Expected values are those of the frozen sample pack (2024 Hungary Q: Norris's pole lap 17 in
1:15.227; 2018 Azerbaijan R: Hamilton's 51 laps), as the telemetry-svc tests know them.
"""

from __future__ import annotations

import pandas as pd

from pitwall_client import Pitwall


def test_laps_have_fastf1_columns_and_dtypes(pitwall: Pitwall) -> None:
    laps = pitwall.laps(2024, "Hungary", "Q", driver=["NOR", "PIA"])
    for column in ("Driver", "LapNumber", "LapTime", "Sector1Time", "Sector2Time",
                   "Sector3Time", "Compound", "TyreLife", "Stint", "IsPersonalBest"):
        assert column in laps.columns
    for column in ("LapTime", "Sector1Time", "Sector2Time", "Sector3Time", "LapStartTime"):
        assert pd.api.types.is_timedelta64_dtype(laps[column]), column
    nor = laps[laps["Driver"] == "NOR"].iloc[0]
    assert nor["LapNumber"] == 17
    assert nor["LapTime"] == pd.Timedelta("0 days 00:01:15.227")
    assert nor["Sector1Time"] + nor["Sector2Time"] + nor["Sector3Time"] == nor["LapTime"]
    assert nor["Compound"] == "SOFT"
    assert set(laps["Driver"]) == {"NOR", "PIA"}


def test_laps_with_pitwall_names_keep_seconds(pitwall: Pitwall) -> None:
    laps = pitwall.laps(2024, "Hungary", "Q", driver="NOR", names="pitwall")
    assert "lap_time_s" in laps.columns and "LapTime" not in laps.columns
    assert laps["lap_time_s"].iloc[0] == 75.227


def test_race_laps_and_session_tables(pitwall: Pitwall) -> None:
    laps = pitwall.laps(2018, "Azerbaijan", "R", driver="HAM")
    assert len(laps) == 51
    assert laps["LapNumber"].tolist() == list(range(1, 52))
    assert pd.api.types.is_timedelta64_dtype(laps["PitInTime"])
    stints = pitwall.stints(2018, "Azerbaijan", "R")
    assert {"Driver", "Stint", "Compound", "FirstLapNumber", "LastLapNumber"} <= set(stints.columns)
    stops = pitwall.pit_stops(2018, "Azerbaijan", "R")
    assert pd.api.types.is_timedelta64_dtype(stops["PitLaneTime"])
    assert "HAM" in set(stops["Driver"])
    weather = pitwall.weather(2024, "Hungary", "Q")
    assert pd.api.types.is_timedelta64_dtype(weather["Time"]) and len(weather) > 10
    assert len(pitwall.race_control(2018, "Azerbaijan", "R")) > 0


def test_lap_telemetry_has_every_channel(pitwall: Pitwall) -> None:
    car = pitwall.lap_telemetry(2024, "Hungary", "Q", "NOR", 17, points=200)
    assert len(car) == 200
    for column in ("Distance", "Speed", "Throttle", "Brake", "nGear", "RPM", "DRS", "X", "Y"):
        assert column in car.columns, column
    assert car["Brake"].dtype == bool
    assert pd.api.types.is_integer_dtype(car["nGear"])
    assert pd.api.types.is_timedelta64_dtype(car["Time"])
    assert car["Distance"].is_monotonic_increasing
    assert 300 < car["Speed"].max() < 340
    own = pitwall.lap_telemetry(2024, "Hungary", "Q", "NOR", "fastest", names="pitwall",
                                channels=["speed", "gear"], points=50)
    assert list(own.columns) == ["speed", "gear"]


def test_results_compare_circuit_schedule(pitwall: Pitwall) -> None:
    results = pitwall.results(2024, "Hungary", "Q")
    assert results["Abbreviation"].tolist()[:3] == ["NOR", "PIA", "VER"]
    assert results.loc[0, "Q3"] == pd.Timedelta("0 days 00:01:15.227")
    compare = pitwall.compare(2024, "Hungary", "Q", "NOR", "PIA", points=100)
    assert {"Distance", "Delta", "Speed_NOR", "Speed_PIA"} <= set(compare.columns)
    assert round(compare["Delta"].iloc[-1], 3) == 0.022  # PIA 1:15.249 - NOR 1:15.227
    assert compare.attrs["a"]["lap_number"] == 17
    corners = pitwall.circuit_corners(2024, "Hungary", "Q")
    assert {"Number", "Letter", "Distance", "X", "Y"} <= set(corners.columns)
    assert pitwall.circuit(2024, "Hungary", "Q")["track_length_m"] > 4000
    schedule = pitwall.schedule(2024)
    assert "Hungarian Grand Prix" in set(schedule["event_name"])
