"""Exports: CSV bodies that pandas reads back as they were, FastF1's names and units, safe
download filenames."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from pitwall_shared.exports import (
    CSV_MEDIA_TYPE,
    FASTF1_COLUMNS,
    columns_to_csv,
    csv_response,
    export_filename,
    fastf1_table,
    rename_columns,
    timedelta_string,
)


@pytest.mark.parametrize("seconds", [75.273, 75.0, 0.0, 0.001, -1.5, 3600 * 25 + 0.25, 1e-6])
def test_timedelta_strings_match_pandas_and_read_back_exactly(seconds: float):
    text = timedelta_string(seconds)
    expected = pd.Timedelta(round(seconds * 1_000_000), unit="us")
    assert text == str(expected)
    assert pd.to_timedelta(text) == expected


def test_missing_times_stay_missing():
    assert timedelta_string(None) is None
    assert timedelta_string(float("nan")) is None
    assert timedelta_string(np.float32("nan")) is None


def test_laps_under_fastf1_names_and_units():
    laps = {"driver": ["NOR", "PIA"], "lap_number": np.array([17, 18]),
            "lap_time_s": np.array([75.273, np.nan]), "sector1_s": np.array([25.1, 26.0]),
            "pit_in": np.array([False, True]), "pit_in_time_s": np.array([np.nan, 3601.5]),
            "compound": ["SOFT", None], "is_accurate": [True, None]}
    out = fastf1_table("laps", laps)
    assert list(out) == ["Driver", "LapNumber", "LapTime", "Sector1Time", "PitInTime",
                         "Compound", "IsAccurate"]  # pit_in dropped: PitInTime carries it
    assert out["LapTime"] == ["0 days 00:01:15.273000", None]
    assert out["PitInTime"] == [None, "0 days 01:00:01.500000"]
    assert out["Compound"] == ["SOFT", None]
    assert [int(n) for n in out["LapNumber"]] == [17, 18]


def test_telemetry_units_gear_drs_brake():
    out = fastf1_table("telemetry", {"distance": np.array([0.0, 5.2]),
                                     "gear": np.array([7.0, 8.0]), "drs": np.array([0.0, 12.0]),
                                     "brake": np.array([1.0, 0.0]), "time": np.array([0.0, 0.25])})
    assert out == {"Distance": [0.0, 5.2], "nGear": [7, 8], "DRS": [0, 12],
                   "Brake": [True, False], "Time": ["0 days 00:00:00", "0 days 00:00:00.250000"]}
    assert all(type(g) is int for g in out["nGear"])


def test_unmapped_columns_pass_through_and_pitwall_names_are_untouched():
    columns = {"driver": ["VER"], "new_metric": [1.5]}
    assert fastf1_table("laps", columns) == {"Driver": ["VER"], "new_metric": [1.5]}
    assert rename_columns(columns, "pitwall", "laps") is columns


def test_every_mapping_names_fastf1_columns_uniquely():
    for table, mapping in FASTF1_COLUMNS.items():
        names = [c.name for c in mapping.values() if c.name is not None]
        assert len(names) == len(set(names)), table


def test_csv_reads_back_with_pandas_losslessly():
    columns = fastf1_table("laps", {
        "driver": ["NOR", "PIA", "VER"], "lap_number": np.array([1, 2, 3]),
        "lap_time_s": np.array([75.273, np.nan, 76.0]), "compound": ["SOFT", None, "MEDIUM"],
        "is_accurate": [True, False, None], "speed_st": np.array([301.0, 299.5, np.nan])})
    body = columns_to_csv(columns)
    assert body.startswith(b"Driver,LapNumber,LapTime,Compound,IsAccurate,SpeedST\n")
    frame = pd.read_csv(io.BytesIO(body))
    assert frame["Driver"].tolist() == ["NOR", "PIA", "VER"]
    lap_times = pd.to_timedelta(frame["LapTime"])
    assert lap_times[0] == pd.Timedelta("00:01:15.273") and pd.isna(lap_times[1])
    assert lap_times[2] == pd.Timedelta(seconds=76)
    assert pd.isna(frame["Compound"][1]) and frame["Compound"][2] == "MEDIUM"
    assert frame["SpeedST"].tolist()[:2] == [301.0, 299.5] and pd.isna(frame["SpeedST"][2])
    assert frame["IsAccurate"].tolist()[:2] == [True, False]


def test_pandas_na_and_numpy_nan_are_empty_cells():
    body = columns_to_csv({"a": [pd.NA, 1], "b": np.array([np.nan, 2.5], dtype=np.float32)})
    assert body == b"a,b\n,\n1,2.5\n"


def test_csv_quotes_text_with_separators():
    body = columns_to_csv({"message": ['YELLOW IN TRACK SECTOR 4, "CAR 1"'], "lap": [3]})
    assert pd.read_csv(io.BytesIO(body))["message"][0] == 'YELLOW IN TRACK SECTOR 4, "CAR 1"'


def test_csv_of_unequal_columns_is_refused():
    with pytest.raises(ValueError):
        columns_to_csv({"a": [1, 2], "b": [1]})


@pytest.mark.parametrize(("event", "expected"), [
    ("Hungary", "2024-Hungary-Q-laps.csv"),
    ("Hungarian Grand Prix", "2024-Hungarian-Grand-Prix-Q-laps.csv"),
    ("São Paulo", "2024-Sao-Paulo-Q-laps.csv"),
    ('../x"; evil', "2024-x-evil-Q-laps.csv"),
])
def test_export_filename_is_safe(event: str, expected: str):
    assert export_filename(2024, event, "Q", "laps") == expected


def test_csv_response_headers():
    response = csv_response(b"a\n1\n", "2024-Hungary-Q-laps.csv", {"ETag": '"x"'})
    assert response.headers["content-type"] == CSV_MEDIA_TYPE
    assert response.headers["content-disposition"] == \
        'attachment; filename="2024-Hungary-Q-laps.csv"'
    assert response.headers["etag"] == '"x"' and response.body == b"a\n1\n"
