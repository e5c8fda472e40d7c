"""Lap-comparison facts on the real 2024 Hungary qualifying telemetry, checked against
values each test computes itself from the raw samples and the laps' sector times."""

from __future__ import annotations

import numpy as np
import pytest

from pitwall_analysis.facts.lap_comparison import CornerMark, compare_laps
from pitwall_analysis.facts.traces import align, trace_from_arrays
from pitwall_shared.contracts.telemetry import LapRef

from . import raw_data

PAIRS = [("NOR", "VER"), ("PIA", "LEC"), ("HAM", "RUS"), ("ALO", "SAI")]


def trace(driver: str):
    data = raw_data.driver_file(driver)
    ref = LapRef(driver=driver, lap_number=int(data["lap_number"]),
                 lap_time_s=raw_data.lap_time(driver),
                 sector_times_s=raw_data.sector_times(driver))
    return trace_from_arrays(ref, raw_data.raw_channels(driver))


def corner_marks() -> list[CornerMark]:
    return [CornerMark(int(c["Number"]), c["Letter"] or "", float(c["Distance"]))
            for c in raw_data.corners()]


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_sector_deltas_match_the_laps_sector_times(a: str, b: str) -> None:
    facts = compare_laps(trace(a), trace(b), corner_marks())
    expected = np.array(raw_data.sector_times(b)) - np.array(raw_data.sector_times(a))
    got = np.array([s["delta_s"] for s in facts["sectors"]])
    assert got == pytest.approx(expected, abs=0.0011)
    assert facts["lap_time_delta_s"] == pytest.approx(
        raw_data.lap_time(b) - raw_data.lap_time(a), abs=0.0011)


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_integrated_delta_ends_at_the_lap_time_difference_and_tracks_sectors(
    a: str, b: str
) -> None:
    ta, tb = trace(a), trace(b)
    aligned = align(ta, tb)
    official = raw_data.lap_time(b) - raw_data.lap_time(a)
    assert aligned.delta[-1] == pytest.approx(official, abs=0.002)
    # At the end of sectors 1 and 2 (where A's clock reaches its sector times) the
    # distance-aligned delta should agree with the official split deltas. Distances
    # integrated from 4 Hz speed samples are only good to a few metres, hence 0.12 s.
    cumulative_a = np.cumsum(raw_data.sector_times(a))[:2]
    cumulative_delta = np.cumsum(np.array(raw_data.sector_times(b))
                                 - np.array(raw_data.sector_times(a)))[:2]
    boundary_m = np.interp(cumulative_a, ta.time, ta.distance)
    at_boundaries = np.interp(boundary_m, aligned.grid, aligned.delta)
    assert at_boundaries == pytest.approx(cumulative_delta, abs=0.12)


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_corner_minimum_speeds_and_gears_come_from_the_samples(a: str, b: str) -> None:
    facts = compare_laps(trace(a), trace(b), corner_marks())
    raw = raw_data.raw_channels(a)
    assert len(facts["corners"]) == len(raw_data.corners())
    for corner in facts["corners"]:
        # Zone edges are reported to the metre: the true minimum lies between the minimum
        # over the zone shrunk and grown by half a metre.
        wide = (raw["distance"] >= corner["zone_start_m"] - 0.5) & (
            raw["distance"] <= corner["zone_end_m"] + 0.5)
        narrow = (raw["distance"] >= corner["zone_start_m"] + 0.5) & (
            raw["distance"] <= corner["zone_end_m"] - 0.5)
        minimum = corner["a"]["min_speed_kmh"]
        assert raw["speed"][wide].min() <= minimum <= raw["speed"][narrow].min()
        at_min = raw["speed"] == corner["a"]["min_speed_kmh"]
        assert corner["a"]["apex_gear"] in {int(g) for g in raw["gear"][wide & at_min]}
        assert corner["min_speed_diff_kmh"] == pytest.approx(
            corner["a"]["min_speed_kmh"] - corner["b"]["min_speed_kmh"], abs=0.05)


def test_braking_point_is_where_the_brake_goes_on() -> None:
    facts = compare_laps(trace("NOR"), trace("VER"), corner_marks())
    raw = raw_data.raw_channels("NOR")
    braked = [c for c in facts["corners"] if c["a"]["braking_point_m_before"] is not None]
    assert braked, "Hungary has heavy braking zones (T1, T2, T12...)"
    for corner in braked:
        onset_m = corner["distance_m"] - corner["a"]["braking_point_m_before"]
        index = int(np.argmin(np.abs(raw["distance"] - onset_m)))
        assert raw["brake"][index] > 0
        assert raw["brake"][index - 1] == 0 or raw["distance"][index - 1] < corner["zone_start_m"]


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_segments_tile_the_lap_and_rank_where_it_was_won(a: str, b: str) -> None:
    facts = compare_laps(trace(a), trace(b), corner_marks())
    total = sum(s["time_delta_s"] for s in facts["segments"])
    assert total == pytest.approx(facts["integrated_delta_s"], abs=0.002 * len(facts["segments"]))
    gained = facts["won_and_lost"]["a_gained"]
    assert all(s["time_delta_s"] > 0 for s in gained)
    assert [abs(s["time_delta_s"]) for s in gained] == sorted(
        (abs(s["time_delta_s"]) for s in gained), reverse=True)
    assert all(s["time_delta_s"] < 0 for s in facts["won_and_lost"]["b_gained"])


def test_speed_throttle_and_drs_figures() -> None:
    facts = compare_laps(trace("NOR"), trace("VER"), corner_marks(),
                         speed_traps={"NOR": {"speed_st": 304.0}})
    for side, driver in (("a", "NOR"), ("b", "VER")):
        raw = raw_data.raw_channels(driver)
        assert facts["speed"][side]["top_speed_kmh"] == raw["speed"].max()
        dt = np.diff(raw["time"], append=raw["time"][-1])
        full = 100 * dt[raw["throttle"] >= 98].sum() / dt.sum()
        # the trace adds one closing sample at the official lap time; allow for it
        assert facts["driving"][side]["full_throttle_pct"] == pytest.approx(full, abs=0.5)
        drs_open = raw["drs"] >= 10
        activations = int(np.count_nonzero(np.diff(drs_open.astype(int)) == 1) + drs_open[0])
        assert facts["driving"][side]["drs_activations"] == activations
    assert facts["speed"]["a"]["speed_st_kmh"] == 304.0
    assert facts["speed"]["b"]["speed_st_kmh"] is None


def test_without_corner_positions_the_rest_of_the_comparison_stands() -> None:
    facts = compare_laps(trace("NOR"), trace("VER"), [])
    assert facts["corners"] == []
    assert [s["place"] for s in facts["segments"]] == ["whole lap"]
    assert facts["segments"][0]["time_delta_s"] == facts["integrated_delta_s"]
    assert len(facts["sectors"]) == 3 and facts["speed"]["a"]["top_speed_kmh"] > 0


def closed_length(driver: str) -> float:
    """Lap length as the facts define it: the samples carried on to the official lap time."""
    raw = raw_data.raw_channels(driver)
    remaining = raw_data.lap_time(driver) - raw["time"][-1]
    return float(raw["distance"][-1] + raw["speed"][-1] / 3.6 * remaining)


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_lap_b_corner_speeds_come_from_its_samples_scaled_to_lap_a(a: str, b: str) -> None:
    facts = compare_laps(trace(a), trace(b), corner_marks())
    raw_b = raw_data.raw_channels(b)
    distance = raw_b["distance"] * closed_length(a) / closed_length(b)
    for corner in facts["corners"]:
        start, end = corner["zone_start_m"], corner["zone_end_m"]
        wide = (distance >= start - 0.5) & (distance <= end + 0.5)
        narrow = (distance >= start + 0.5) & (distance <= end - 0.5)
        minimum = corner["b"]["min_speed_kmh"]
        assert raw_b["speed"][wide].min() <= minimum <= raw_b["speed"][narrow].min()
