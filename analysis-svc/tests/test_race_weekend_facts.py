"""Race trace, strategy and pace distribution of 2018 Azerbaijan R (and two sprints) through
the real telemetry-svc, checked against values computed here from FastF1's own ``Laps``
(``Position``, ``Time``, ``LapTime``, pit times) loaded from the same frozen responses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy.stats import theilslopes

from pitwall_shared.contracts.analysis import (
    PaceDistributionResponse,
    RaceTraceResponse,
    StrategyResponse,
)

from .fastf1_reference import lap_table, leader_status_ranges, load, stop_cost
from .test_api_races import expected_clean_laps
from .upstream import Services

pytestmark = pytest.mark.asyncio(loop_scope="module")

BAKU = "/api/v1/analysis/sessions/2018/Azerbaijan/R"
SPRINTS = [(2025, "Miami", "S"), (2023, "Azerbaijan", "S")]


@pytest.fixture(scope="module")
def services(deterministic_services: Services) -> Services:
    return deterministic_services


async def get(services: Services, path: str) -> dict[str, Any]:
    response = await services.analysis.get(path)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def check_trace_against_fastf1(facts: dict[str, Any], laps: dict[tuple[str, int], Any]) -> int:
    trace = facts["trace"]
    rows = list(zip(trace["driver"], trace["lap_number"], trace["position"],
                    trace["gap_to_leader_s"], trace["interval_s"], strict=True))
    # every FastF1 lap with a position is in the trace, and nothing else
    assert {(d, n) for d, n, *_ in rows} == {k for k, lap in laps.items()
                                             if lap["position"] is not None}
    by_position = {(n, lap["position"]): lap for (d, n), lap in laps.items()
                   if lap["position"] is not None}
    unknown_ends = []
    for driver, number, position, gap, interval in rows:
        lap = laps[(driver, number)]
        assert position == lap["position"], (driver, number)
        leader = by_position[(number, 1)]
        if lap["lap_time"] is None and (driver, number + 1) not in laps:
            # a last lap without a lap time: the laps table has no end for it
            assert gap is None and interval is None
            unknown_ends.append((driver, number))
            continue
        assert gap == pytest.approx(lap["time"] - leader["time"], abs=1.5e-3), (driver, number)
        assert leader["lap_time"] is not None or (leader["driver"], number + 1) in laps
        if position == 1:
            assert interval is None and gap == 0
        else:
            ahead = by_position[(number, position - 1)]
            assert interval == pytest.approx(lap["time"] - ahead["time"], abs=1.5e-3)
    for driver, number in unknown_ends:
        assert any(f"{driver}'s lap {number} has no lap time" in n for n in facts["notes"])
    assert len(unknown_ends) <= 1
    return len(rows)


async def test_baku_race_trace_equals_fastf1_positions_and_times(
    services: Services, ff1_cache: Path,
) -> None:
    body = await get(services, f"{BAKU}/race-trace")
    RaceTraceResponse.model_validate(body)
    facts = body["facts"]
    session = load(2018, "Azerbaijan", "R", ff1_cache)
    laps = lap_table(session)
    assert check_trace_against_fastf1(facts, laps) == 841  # 848 laps less 7 retirement laps
    assert facts["total_laps"] == 51
    # safety car on laps 1-5 and 40-47, judged on the leader's laps
    assert [(n["kind"], n["first_lap"], n["last_lap"]) for n in facts["neutralisations"]] == [
        ("SC", a, b) for a, b in leader_status_ranges(laps, "4")]
    assert leader_status_ranges(laps, "4") == [(1, 5), (40, 47)]
    results = session.results
    assert [d["driver"] for d in facts["drivers"]] == list(results["Abbreviation"])
    for driver in facts["drivers"]:
        completed = [n for (d, n), lap in laps.items()
                     if d == driver["driver"] and lap["position"] is not None]
        assert driver["laps_completed"] == max(completed, default=0)
        finished = driver["status"] == "Finished"
        assert (driver["retired_on_lap"] is None) == finished
        assert driver["pit_laps"] == sorted(n for (d, n), lap in laps.items()
                                            if d == driver["driver"] and lap["pit_in"])
    assert any("BOT did not finish" in note for note in facts["notes"])
    # laps down: leader lap-ends beyond the lap number at or before the driver's lap end
    leader_end = {n: lap["time"] for (d, n), lap in laps.items() if lap["position"] == 1}
    trace = facts["trace"]
    for driver, number, down in zip(trace["driver"], trace["lap_number"], trace["laps_down"],
                                    strict=True):
        end = laps[(driver, number)]["time"]
        assert down == sum(1 for n, t in leader_end.items() if n > number and t <= end)
    eri = [down for d, down in zip(trace["driver"], trace["laps_down"], strict=True)
           if d == "ERI"]
    assert max(eri) >= 1 and eri[-1] == 0  # lapped mid-race, back on the lead lap by the SC
    assert any("ERI was lapped" in note for note in facts["notes"])


async def test_baku_pit_stop_costs_against_cars_that_stayed_out(
    services: Services, ff1_cache: Path,
) -> None:
    body = await get(services, f"{BAKU}/strategy")
    StrategyResponse.model_validate(body)
    facts = body["facts"]
    laps = lap_table(load(2018, "Azerbaijan", "R", ff1_cache))
    expected_stops = sorted((d, n) for (d, n), lap in laps.items() if lap["pit_in"]
                            and laps.get((d, n + 1), {}).get("pit_out"))
    assert sorted((s["driver"], s["in_lap"]) for s in facts["pit_stops"]) == expected_stops
    for stop in facts["pit_stops"]:
        cost, cars = stop_cost(laps, stop["driver"], stop["in_lap"])
        assert stop["comparison_cars"] == cars
        if cost is None:
            assert stop["time_loss_s"] is None and "too few" in stop["note"]
        else:
            assert stop["time_loss_s"] == pytest.approx(cost, abs=1.5e-3), stop
        before = laps.get((stop["driver"], stop["in_lap"] - 1), {}).get("position")
        after = laps[(stop["driver"], stop["in_lap"] + 1)]["position"]
        assert (stop["position_before"], stop["position_after"]) == (before, after)
    ham = {s["in_lap"]: s for s in facts["pit_stops"] if s["driver"] == "HAM"}
    green, sc = ham[22], ham[40]
    assert green["neutralisation"] is None and green["comparison_cars"] >= 10
    assert green["time_loss_s"] == pytest.approx(stop_cost(laps, "HAM", 22)[0], abs=1.5e-3)
    # under the second safety car the whole field pitted: no cost, and what happened instead
    assert sc["neutralisation"] == "SC" and sc["time_loss_s"] is None
    assert sc["comparison_cars"] == stop_cost(laps, "HAM", 40)[1] < 3
    assert f"P{laps[('HAM', 39)]['position']} to P{laps[('HAM', 41)]['position']}" in sc["note"]
    assert "median" in facts["rules"]["time_loss"]


async def test_baku_battles_follow_the_lap_end_times(services: Services, ff1_cache: Path) -> None:
    facts = (await get(services, f"{BAKU}/strategy"))["facts"]
    laps = lap_table(load(2018, "Azerbaijan", "R", ff1_cache))
    assert facts["battles"], "the 2018 Baku race has stops within 3 s of each other"
    for battle in facts["battles"]:
        a, b = battle["first_to_pit"], battle["other"]
        before = laps[(a, battle["first_in_lap"] - 1)]["time"] - laps[
            (b, battle["first_in_lap"] - 1)]["time"]
        assert battle["gap_before_s"] == pytest.approx(before, abs=1.5e-3) and abs(before) <= 3
        after_lap = battle["other_in_lap"] + 1
        after = laps[(a, after_lap)]["time"] - laps[(b, after_lap)]["time"]
        assert battle["gap_after_s"] == pytest.approx(after, abs=1.5e-3)
        ahead_after = a if after < 0 else b
        assert battle["winner"] == ahead_after
        expected = ("undercut" if before > 0 > after else "overcut" if before < 0 < after
                    else "held")
        assert battle["outcome"] == expected


async def test_baku_stints_carry_their_theil_sen_fit(services: Services) -> None:
    facts = (await get(services, f"{BAKU}/strategy"))["facts"]
    fitted = 0
    for stint in facts["stints"]:
        ages, times = stint["clean_tyre_age"], stint["clean_lap_time_s"]
        assert len(ages) == len(times) == stint["clean_laps"]
        if stint["degradation_s_per_lap"] is None:
            assert len(ages) < 4
            continue
        fit = theilslopes(times, ages)
        assert stint["degradation_s_per_lap"] == pytest.approx(fit.slope, abs=1e-3)
        assert stint["degradation_intercept_s"] == pytest.approx(fit.intercept, abs=2e-3)
        fitted += 1
    assert fitted >= 20


async def test_baku_pace_distribution_quantiles_and_teams(services: Services) -> None:
    facts = (await get(services, f"{BAKU}/pace-distribution"))["facts"]
    PaceDistributionResponse.model_validate({"session": {}, "facts": facts,
                                             "insights": {"source": "deterministic",
                                                          "insights": []}})
    table = (await services.telemetry.get("/api/v1/telemetry/sessions/2018/Azerbaijan/R/laps")
             ).json()["laps"]
    rows = [dict(zip(table, values, strict=True)) for values in zip(*table.values(), strict=True)]
    clean: dict[str, list[float]] = {}
    for driver in {r["driver"] for r in rows}:
        own = sorted((r for r in rows if r["driver"] == driver), key=lambda r: r["lap_number"])
        clean[driver] = [r["lap_time_s"] for r in expected_clean_laps(own)]
    for driver in facts["drivers"]:
        times = clean[driver["driver"]]
        assert driver["clean_laps"] == len(times)
        if not times:
            assert driver["quantiles"] is None
            continue
        expected = np.percentile(times, [0, 25, 50, 75, 100])
        got = driver["quantiles"]
        assert [got["min_s"], got["q1_s"], got["median_s"], got["q3_s"], got["max_s"]] == \
            pytest.approx(list(expected), abs=1e-3)
    medians = []
    for team in facts["teams"]:
        pooled = [t for d in team["drivers"] for t in clean[d]]
        assert team["clean_laps"] == len(pooled)
        assert team["quantiles"]["median_s"] == pytest.approx(np.median(pooled), abs=1e-3)
        medians.append(team["quantiles"]["median_s"])
    assert medians == sorted(medians) and facts["teams"][0]["gap_to_fastest_s"] == 0
    assert [t["rank"] for t in facts["teams"]] == list(range(1, len(facts["teams"]) + 1))
    mercedes = next(p for p in facts["teammates"] if p["team"] == "Mercedes")
    assert (mercedes["driver_a"], mercedes["driver_b"]) == ("HAM", "BOT")
    assert mercedes["median_delta_s"] == pytest.approx(
        np.median(clean["BOT"]) - np.median(clean["HAM"]), abs=1e-3)


@pytest.mark.parametrize(("year", "event", "code"), SPRINTS)
async def test_sprint_race_trace_equals_fastf1(services: Services, ff1_cache: Path, year: int,
                                               event: str, code: str) -> None:
    base = f"/api/v1/analysis/sessions/{year}/{event}/{code}"
    facts = (await get(services, f"{base}/race-trace"))["facts"]
    laps = lap_table(load(year, event, code, ff1_cache))
    assert check_trace_against_fastf1(facts, laps) > 250
    got = [(n["kind"], n["first_lap"], n["last_lap"]) for n in facts["neutralisations"]]
    for kind, digits in (("SC", "4"), ("VSC", "67"), ("RED", "5")):
        expected = [(kind, a, b) for a, b in leader_status_ranges(laps, digits)]
        assert [g for g in got if g[0] == kind] == expected
    strategy = (await get(services, f"{base}/strategy"))["facts"]
    for stop in strategy["pit_stops"]:
        cost, cars = stop_cost(laps, stop["driver"], stop["in_lap"])
        assert stop["comparison_cars"] == cars
        assert stop["time_loss_s"] == (None if cost is None else pytest.approx(cost, abs=1.5e-3))
    pace = (await get(services, f"{base}/pace-distribution"))["facts"]
    assert len(pace["drivers"]) == 20 and pace["teams"]
