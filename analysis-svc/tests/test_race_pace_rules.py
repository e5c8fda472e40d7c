"""Race-pace rules on a laps table the test builds, so each rule has a known answer.
(The same facts on real 2018 Azerbaijan laps are checked in the API tests.)"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from pitwall_analysis.facts.race_pace import FUEL_EFFECT_S_PER_LAP, race_pace


def table(laps: list[dict[str, Any]]) -> dict[str, list[Any]]:
    keys = ["driver", "lap_number", "lap_time_s", "compound", "tyre_life", "stint", "pit_in",
            "pit_out", "track_status", "deleted"]
    return {k: [lap.get(k) for lap in laps] for k in keys}


def stint_laps(driver: str, first: int, count: int, stint: int, base: float, slope: float,
               compound: str) -> list[dict[str, Any]]:
    return [{"driver": driver, "lap_number": first + i, "lap_time_s": base + slope * (i + 1),
             "compound": compound, "tyre_life": float(i + 1), "stint": stint,
             "track_status": "1"} for i in range(count)]


def race() -> list[dict[str, Any]]:
    laps = stint_laps("AAA", 1, 20, 1, 100.0, 0.08, "SOFT") + stint_laps(
        "AAA", 21, 20, 2, 101.0, 0.03, "HARD")
    by_number = {lap["lap_number"]: lap for lap in laps}
    by_number[20]["pit_in"] = 3600.0
    by_number[20]["lap_time_s"] += 18
    by_number[21]["pit_out"] = 3620.0
    by_number[21]["lap_time_s"] += 5
    by_number[10]["track_status"] = "4"  # safety car
    by_number[10]["lap_time_s"] += 30
    by_number[30]["lap_time_s"] += 6  # traffic
    other = stint_laps("BBB", 1, 40, 1, 100.5, 0.05, "MEDIUM")
    return laps + other


def test_clean_lap_rule_excludes_lap1_pit_sc_and_traffic_laps() -> None:
    facts = race_pace(table(race()), ["AAA", "BBB"])
    aaa = facts["drivers"]["AAA"]
    # lap 1, in-lap 20, out-lap 21, SC lap 10, traffic lap 30
    assert aaa["clean_laps"] == 40 - 5 and aaa["excluded_laps"] == 5
    assert "4/5/6/7" in facts["rules"]["clean_lap"]


def test_degradation_slope_per_stint_and_fuel_correction() -> None:
    facts = race_pace(table(race()), ["AAA"])
    first, second = facts["drivers"]["AAA"]["stints"]
    assert (first["compound"], first["laps"], first["tyre_age_start"], first["tyre_age_end"]) == (
        "SOFT", 20, 1, 20)
    assert first["degradation_s_per_lap"] == pytest.approx(0.08, abs=1e-3)
    assert second["degradation_s_per_lap"] == pytest.approx(0.03, abs=1e-3)
    # Fuel burn hides degradation: corrected times rise faster with tyre age.
    assert first["fuel_corrected_degradation_s_per_lap"] == pytest.approx(
        0.08 + FUEL_EFFECT_S_PER_LAP, abs=1e-3)


def stayed_out(driver: str, base: float) -> list[dict[str, Any]]:
    return stint_laps(driver, 1, 40, 1, base, 0.02, "HARD")


def test_pit_loss_against_cars_that_stayed_out() -> None:
    field = race() + stayed_out("CCC", 99.0) + stayed_out("DDD", 102.0)
    facts = race_pace(table(field), ["AAA", "BBB"])
    aaa = facts["drivers"]["AAA"]
    stop = aaa["pit_stops"][0]
    times = {(lap["driver"], lap["lap_number"]): lap["lap_time_s"] for lap in field}
    others = sorted(times[(d, 20)] + times[(d, 21)] for d in ("BBB", "CCC", "DDD"))
    assert stop["in_lap"] == 20 and stop["comparison_cars"] == 3
    assert stop["reference_s"] == pytest.approx(others[1], abs=1e-3)
    assert stop["time_loss_s"] == pytest.approx(
        times[("AAA", 20)] + times[("AAA", 21)] - others[1], abs=1e-3)
    assert "median" in facts["rules"]["pit_loss"]


def test_pit_loss_is_not_measured_against_fewer_than_three_cars() -> None:
    facts = race_pace(table(race() + stayed_out("CCC", 99.0)), ["AAA"])
    stop = facts["drivers"]["AAA"]["pit_stops"][0]
    assert stop["comparison_cars"] == 2 and stop["time_loss_s"] is None
    assert "too few" in stop["note"]


def test_consistency_and_comparison() -> None:
    facts = race_pace(table(race()), ["AAA", "BBB"])
    aaa = facts["drivers"]["AAA"]
    lap_times = {lap["lap_number"]: lap["lap_time_s"] for lap in race() if lap["driver"] == "AAA"}
    median = aaa["median_clean_lap_s"]
    clean = [t for n, t in lap_times.items() if n not in (1, 10, 20, 21, 30)]
    assert aaa["std_s"] == pytest.approx(np.std(clean, ddof=1), abs=1e-3)
    q1, q3 = np.percentile(clean, [25, 75])
    assert aaa["iqr_s"] == pytest.approx(q3 - q1, abs=1e-3)
    pair = facts["comparison"][0]
    assert pair["driver"] == "BBB" and pair["reference"] == "AAA"
    assert pair["median_clean_lap_gap_s"] == pytest.approx(
        facts["drivers"]["BBB"]["median_clean_lap_s"] - median, abs=1e-3)
