"""Car and position telemetry through FastF1's real processing and ``bundle_from_fastf1``.

The frozen FastF1 HTTP responses in the sample pack hold laps and timing for 2024 Spain Q but
no ``CarData.z`` / ``Position.z`` streams, so a plain offline ``session.load(telemetry=True)``
finds no telemetry and the per-driver normalization in ``loading/fastf1_session.py``
(``_telemetry``, ``_driver_telemetry``, the outline in ``_circuit``) never runs.

Here the ONLY thing replaced is FastF1's two upstream car/position fetch-and-parse functions,
``fastf1._api.car_data`` and ``fastf1._api.position_data`` (``fastf1.core`` calls them as
``api.car_data(...)`` / ``api.position_data(...)``). Everything else is real: the frozen Spain
laps and timing, FastF1's ``Session._load_telemetry`` (``t0_date`` from ``Date - Time``,
``Telemetry`` construction, lap slicing) and our normalization.

The replacements return what the real functions return (a dict keyed by driver number string
of DataFrames with the same columns, order and dtypes), filled with REAL samples: Lando
Norris's car and position telemetry from his 2024 Hungary Q pole lap, taken from the raw
export in ``sample-data/raw/2024-hungary-q``. Spain has no samples of its own in the pack, so
the Hungary samples are re-timed, by a pure shift that keeps their real spacing and values,
onto Norris's fastest (pole) lap of 2024 Spain Q, starting ``LEAD`` before that lap starts.
The Hungary lap (75.2 s) is longer than the Spain one (71.4 s), so the samples cover the
whole Spain lap plus some padding on both sides, which falls into the out-lap before it and
the in-lap after it. Two more drivers check the partial cases: VER gets only position
samples (no frame may come of it) and PIA only car samples (car channels kept, x/y empty),
each re-timed onto that driver's own fastest Spain lap. The re-timed frames are kept so
every expectation below is computed from them directly, independently of the code under
test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pitwall_telemetry.fastf1_setup import configure_offline
from pitwall_telemetry.loading.bundle import SessionBundle
from pitwall_telemetry.loading.fastf1_session import bundle_from_fastf1
from pitwall_telemetry.sample_pack import SAMPLE_DATA_DIR, frozen_http_dir
from pitwall_telemetry.snapshots.store import SessionId

from . import raw_hungary as raw

SPAIN_Q = SessionId(2024, 10, "Q")
SOURCE_DRIVER = "NOR"  # Hungary driver whose car + position samples are used
POS_ONLY_DRIVER = "VER"  # given position samples but no car data: must get no frame
CAR_ONLY_DRIVER = "PIA"  # given car samples but no position data: car channels, no x/y
LEAD = pd.Timedelta("1.5s")  # the samples start this long before the Spain lap starts
HUNGARY_TRACK_M = 4381.0  # official Hungaroring lap length
# column order and dtypes exactly as fastf1._api.car_data / position_data build them
CAR_COLUMNS = ["Time", "Date", "RPM", "Speed", "nGear", "Throttle", "Brake", "DRS", "Source"]
POS_COLUMNS = ["Time", "Date", "Status", "X", "Y", "Z", "Source"]


@dataclass
class Loaded:
    session: Any
    bundle: SessionBundle
    t0_date: pd.Timestamp
    lap: pd.Series  # the Spain lap the samples were re-timed onto
    car_only_lap: pd.Series | None = None  # CAR_ONLY_DRIVER's lap its car samples cover
    car: dict[str, pd.DataFrame] = field(default_factory=dict)  # as handed to FastF1
    pos: dict[str, pd.DataFrame] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)


def hungary_samples(abbreviation: str, part: str) -> pd.DataFrame:
    """One driver's columnar samples from the raw export; ``Time`` is lap-relative there."""
    frame = pd.DataFrame(raw.session()["drivers"][abbreviation][part])
    frame["Date"] = pd.to_datetime(frame["Date"])
    frame["Time"] = pd.to_timedelta(frame["Time"])
    frame["SessionTime"] = pd.to_timedelta(frame["SessionTime"])
    return frame


def integral(values: pd.Series) -> np.ndarray:
    assert np.array_equal(values, values.round()), "upstream channels are integers"
    return values.to_numpy().astype("int64")


def retimed(samples: pd.DataFrame, lap: pd.Series, t0_date: pd.Timestamp) -> pd.DataFrame:
    """Shift samples so that the source lap's start lands ``LEAD`` before ``lap`` starts."""
    source_lap_start = samples["Date"].iloc[0] - samples["Time"].iloc[0]
    session_time = samples["Date"] - source_lap_start + lap["LapStartTime"] - LEAD
    # upstream ``Time`` is the stream's session clock; with no delay, Date - Time == t0_date
    return pd.DataFrame({"Time": session_time.to_numpy(),
                         "Date": (t0_date + session_time).to_numpy()})


def upstream_car(samples: pd.DataFrame, lap: pd.Series, t0_date: pd.Timestamp) -> pd.DataFrame:
    frame = retimed(samples, lap, t0_date)
    for name in ("RPM", "Speed", "nGear", "Throttle", "DRS"):
        frame[name] = integral(samples[name])
    frame["Brake"] = integral(samples["Brake"]).astype(bool)
    frame["Source"] = samples["Source"].astype(object).to_numpy()
    return frame[CAR_COLUMNS]


def upstream_pos(samples: pd.DataFrame, lap: pd.Series, t0_date: pd.Timestamp) -> pd.DataFrame:
    frame = retimed(samples, lap, t0_date)
    frame["Status"] = samples["Status"].astype(object).to_numpy()
    for name in ("X", "Y", "Z"):
        frame[name] = integral(samples[name])
    frame["Source"] = samples["Source"].astype(object).to_numpy()
    return frame[POS_COLUMNS]


def fake_upstream(loaded: Loaded, kind: str) -> Callable[..., dict[str, pd.DataFrame]]:
    """Stands in for fastf1._api.car_data / position_data (same signature and return)."""

    def fetch(path: str, response: Any = None, livedata: Any = None) -> dict[str, pd.DataFrame]:
        session = loaded.session
        loaded.calls.append((kind, path))
        # called from Session._load_telemetry, after the (real, frozen) laps are loaded
        loaded.t0_date = session.date - session.session_start_time
        loaded.lap = session.laps.pick_fastest()
        assert loaded.lap["Driver"] == SOURCE_DRIVER
        number = str(loaded.lap["DriverNumber"])
        if kind == "car":
            car_only = session.laps.pick_drivers(CAR_ONLY_DRIVER).pick_fastest()
            loaded.car_only_lap = car_only
            loaded.car = {
                number: upstream_car(hungary_samples(SOURCE_DRIVER, "telemetry"),
                                     loaded.lap, loaded.t0_date),
                str(car_only["DriverNumber"]): upstream_car(
                    hungary_samples(CAR_ONLY_DRIVER, "telemetry"), car_only, loaded.t0_date),
            }
            return {k: v.copy() for k, v in loaded.car.items()}
        other = session.laps.pick_drivers(POS_ONLY_DRIVER).pick_fastest()
        loaded.pos = {
            number: upstream_pos(hungary_samples(SOURCE_DRIVER, "position_data"),
                                 loaded.lap, loaded.t0_date),
            str(other["DriverNumber"]): upstream_pos(
                hungary_samples(POS_ONLY_DRIVER, "position_data"), other, loaded.t0_date),
        }
        return {k: v.copy() for k, v in loaded.pos.items()}

    return fetch


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    import fastf1
    import fastf1._api
    import fastf1.core

    assert fastf1.core.api is fastf1._api  # core looks the functions up on this module
    configure_offline(frozen_http_dir(SAMPLE_DATA_DIR), tmp_path_factory.mktemp("ff1-cache"))
    session = fastf1.get_session(2024, "Spain", "Q")
    state = Loaded(session=session, bundle=None, t0_date=None, lap=None)  # type: ignore[arg-type]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fastf1._api, "car_data", fake_upstream(state, "car"))
        patch.setattr(fastf1._api, "position_data", fake_upstream(state, "pos"))
        session.load(laps=True, telemetry=True, weather=True, messages=True)
    state.bundle = bundle_from_fastf1(session, SPAIN_Q)
    yield state


def session_time(frame: pd.DataFrame, t0_date: pd.Timestamp) -> pd.Series:
    return frame["Date"] - t0_date


def in_lap(frame: pd.DataFrame, lap: pd.Series, t0_date: pd.Timestamp) -> pd.DataFrame:
    """Samples FastF1 attributes to ``lap``: LapStartTime <= SessionTime <= Time."""
    clock = session_time(frame, t0_date)
    return frame[(clock >= lap["LapStartTime"]) & (clock <= lap["Time"])].reset_index(drop=True)


def lap_rows(loaded: Loaded) -> pd.DataFrame:
    frame = loaded.bundle.telemetry[SOURCE_DRIVER]
    rows = frame[frame["lap_number"] == int(loaded.lap["LapNumber"])]
    return rows.reset_index(drop=True)


def test_fastf1_processed_the_replaced_upstream_responses(loaded: Loaded) -> None:
    session = loaded.session
    assert sorted(loaded.calls) == [("car", session.api_path), ("pos", session.api_path)]
    # the Spain pole lap, from the frozen timing data
    assert loaded.lap["LapNumber"] == 11
    assert loaded.lap["LapTime"] == pd.Timedelta("1min 11.383s")
    # FastF1 derived t0_date from Date - Time of what it was handed
    assert session.t0_date == loaded.t0_date
    number = str(loaded.lap["DriverNumber"])
    assert set(session.car_data) == set(loaded.car) == {number, "81"}  # NOR, PIA
    assert set(session.pos_data) == set(loaded.pos) == {number, "1"}
    car = session.car_data[number]
    assert list(car["Date"]) == list(loaded.car[number]["Date"])
    assert list(car["SessionTime"]) == list(loaded.car[number]["Time"])
    # the re-timing is a pure shift: real Hungary spacing and values are kept
    source = hungary_samples(SOURCE_DRIVER, "telemetry")
    assert np.array_equal(np.diff(car["Date"]), np.diff(source["Date"]))
    assert list(car["Speed"]) == list(source["Speed"])
    assert list(car["nGear"]) == list(source["nGear"])


def test_only_drivers_with_car_data_get_telemetry(loaded: Loaded) -> None:
    bundle = loaded.bundle
    assert set(bundle.telemetry) == {SOURCE_DRIVER, CAR_ONLY_DRIVER}
    assert POS_ONLY_DRIVER not in bundle.telemetry  # position data alone is not telemetry
    assert bundle.meta["has_telemetry"] is True
    assert "telemetry" not in bundle.meta["missing"]
    abbreviations = {d["abbreviation"] for d in bundle.meta["drivers"]}
    assert len(abbreviations) == 20 and abbreviations > set(bundle.telemetry)


def test_frame_holds_exactly_the_laps_the_samples_cover(loaded: Loaded) -> None:
    frame = loaded.bundle.telemetry[SOURCE_DRIVER]
    car = loaded.car[str(loaded.lap["DriverNumber"])]
    expected = {}
    for _, lap in loaded.session.laps.pick_drivers(SOURCE_DRIVER).iterrows():
        count = len(in_lap(car, lap, loaded.t0_date))
        if count:
            expected[int(lap["LapNumber"])] = count
    # the padding falls into the out-lap before the pole lap and the in-lap after it
    assert set(expected) == {10, 11, 12}
    assert frame["lap_number"].value_counts().sort_index().to_dict() == expected
    assert frame["lap_number"].is_monotonic_increasing


def test_lap_clock_and_channels_are_the_source_samples(loaded: Loaded) -> None:
    lap = loaded.lap
    rows = lap_rows(loaded)
    source = in_lap(loaded.car[str(lap["DriverNumber"])], lap, loaded.t0_date)
    assert len(rows) == len(source) > 250
    lap_time = lap["LapTime"].total_seconds()
    expected_time = (session_time(source, loaded.t0_date) - lap["LapStartTime"]).dt.total_seconds()
    np.testing.assert_allclose(rows["time"], expected_time, rtol=0, atol=1e-9)
    assert 0 <= rows["time"].iloc[0] < 0.3  # samples come every ~0.25 s
    assert lap_time - 0.3 < rows["time"].iloc[-1] <= lap_time
    assert rows["time"].is_monotonic_increasing
    # get_car_data() slices without padding or interpolated edge samples, so every sample
    # of the lap is a source sample, values unchanged
    for ours, theirs in (("speed", "Speed"), ("throttle", "Throttle"), ("gear", "nGear"),
                         ("rpm", "RPM"), ("drs", "DRS"), ("brake", "Brake")):
        assert rows[ours].tolist() == source[theirs].astype(float).tolist(), ours
    assert rows["speed"].max() > 300 and rows["gear"].min() >= 2 and rows["brake"].any()


def test_distance_is_integrated_speed_over_the_lap(loaded: Loaded) -> None:
    lap = loaded.lap
    rows = lap_rows(loaded)
    source = in_lap(loaded.car[str(lap["DriverNumber"])], lap, loaded.t0_date)
    distance = rows["distance"].to_numpy()
    assert (np.diff(distance) >= 0).all()
    # exactly checkable: speed times the step since the previous sample (the first step from
    # the lap start), summed; computed here from the handed-over samples ...
    clock = (session_time(source, loaded.t0_date) - lap["LapStartTime"]).dt.total_seconds()
    steps = np.diff(clock.to_numpy(), prepend=0.0)
    expected = np.cumsum(source["Speed"].to_numpy() / 3.6 * steps)
    np.testing.assert_allclose(distance, expected, rtol=1e-12)
    # ... and by FastF1 itself
    fastf1_distance = lap.get_car_data().add_distance()["Distance"].to_numpy()
    np.testing.assert_allclose(distance, fastf1_distance, rtol=1e-12)
    # plausible: a trapezoid over the same samples agrees, and it is the Hungaroring minus
    # the ~3.8 s of the 75.2 s Hungary lap that lie outside the 71.4 s Spain lap window
    trapezoid = np.trapezoid(source["Speed"].to_numpy() / 3.6, clock.to_numpy())
    assert distance[-1] == pytest.approx(trapezoid, rel=0.01)
    assert 0.9 * HUNGARY_TRACK_M < distance[-1] < HUNGARY_TRACK_M


def test_xy_are_position_samples_interpolated_onto_the_car_clock(loaded: Loaded) -> None:
    lap = loaded.lap
    number = str(lap["DriverNumber"])
    rows = lap_rows(loaded)
    car = in_lap(loaded.car[number], lap, loaded.t0_date)
    pos = loaded.pos[number]  # the whole stream: the lap's ends are interpolated, not held
    car_clock = session_time(car, loaded.t0_date)
    pos_clock = session_time(pos, loaded.t0_date)
    assert not set(car_clock) & set(pos_clock)  # the two streams never share a timestamp
    # every car sample of the lap lies between two position samples: linear in time there
    inside = ((car_clock > pos_clock.iloc[0]) & (car_clock < pos_clock.iloc[-1])).to_numpy()
    assert inside.all()
    for axis, name in (("X", "x"), ("Y", "y")):
        track = pd.Series(pos[axis].to_numpy(dtype=float), index=pos_clock)
        union = track.reindex(track.index.union(pd.Index(car_clock))).interpolate(method="index")
        expected = union.loc[car_clock[inside]].to_numpy()
        np.testing.assert_allclose(rows[name].to_numpy()[inside], expected, rtol=0, atol=1e-6)
        # and between the two position samples either side of each car sample
        after = np.searchsorted(pos_clock.to_numpy(), car_clock.to_numpy()[inside])
        ends = np.stack([pos[axis].to_numpy()[after - 1], pos[axis].to_numpy()[after]])
        values = rows[name].to_numpy()[inside]
        assert ((values >= ends.min(0) - 1e-9) & (values <= ends.max(0) + 1e-9)).all()


def test_outline_is_the_fastest_lap_trace(loaded: Loaded) -> None:
    rows = lap_rows(loaded)
    outline = loaded.bundle.tables["outline"]
    pd.testing.assert_frame_equal(outline, rows[["x", "y", "distance"]])
    assert loaded.bundle.meta["track_length_m"] == round(float(rows["distance"].max()), 1)


def test_car_data_without_position_data_keeps_its_channels(loaded: Loaded) -> None:
    lap = loaded.car_only_lap
    assert lap is not None
    frame = loaded.bundle.telemetry[CAR_ONLY_DRIVER]
    rows = frame[frame["lap_number"] == int(lap["LapNumber"])].reset_index(drop=True)
    source = in_lap(loaded.car[str(lap["DriverNumber"])], lap, loaded.t0_date)
    assert len(rows) == len(source) > 250
    assert rows["speed"].tolist() == source["Speed"].astype(float).tolist()
    assert rows["gear"].tolist() == source["nGear"].astype(float).tolist()
    assert (np.diff(rows["distance"]) >= 0).all()
    assert rows["x"].isna().all() and rows["y"].isna().all()
