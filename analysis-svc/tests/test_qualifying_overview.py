"""Qualifying overview of 2024 Spain Q (FastF1 on frozen responses) and 2024 Hungary Q (the
prebuilt snapshot), checked against the classification and laps read here on their own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pitwall_shared.contracts.analysis import QualifyingOverviewResponse

from .fastf1_reference import load, seconds
from .raw_data import session_file
from .upstream import Services

pytestmark = pytest.mark.asyncio(loop_scope="module")

SEGMENTS = ("Q1", "Q2", "Q3")


@pytest.fixture(scope="module")
def services(deterministic_services: Services) -> Services:
    return deterministic_services


async def overview(services: Services, session: str) -> dict[str, Any]:
    response = await services.analysis.get(
        f"/api/v1/analysis/sessions/{session}/qualifying-overview")
    assert response.status_code == 200, response.text
    QualifyingOverviewResponse.model_validate(response.json())
    return response.json()["facts"]  # type: ignore[no-any-return]


def check_against_classification(facts: dict[str, Any], results: list[dict[str, Any]]) -> None:
    """``results``: Abbreviation and Q1/Q2/Q3 in seconds (None when not set), in order."""
    assert [d["driver"] for d in facts["drivers"]] == [r["Abbreviation"] for r in results]
    pole_time = min(t for t in (results[0][s] for s in SEGMENTS) if t is not None)
    assert facts["pole"]["driver"] == results[0]["Abbreviation"]
    assert facts["pole_time_s"] == pytest.approx(pole_time, abs=1e-3)
    for got, row in zip(facts["drivers"], results, strict=True):
        times = [row[s] for s in SEGMENTS]
        assert [got["segment_best_s"][s] for s in SEGMENTS] == pytest.approx(times, abs=1e-3)
        best = min(t for t in times if t is not None)
        assert got["gap_to_pole_s"] == pytest.approx(best - pole_time, abs=1e-3)
    # F1's format with 20 cars: the top 15 reach Q2 and the top 10 Q3, whether or not they
    # then set a time there
    field = dict(zip(SEGMENTS, (20, 15, 10), strict=True))
    assert all(max(i for i, r in enumerate(results, start=1) if r[s]) <= field[s]
               for s in SEGMENTS)
    for rank, got in enumerate(facts["drivers"], start=1):
        reached = [s for s in SEGMENTS if rank <= field[s]]
        assert got["knocked_out_in"] == (None if reached[-1] == "Q3" else reached[-1])
    for index, segment in enumerate(facts["segments"][:2]):
        through = field[SEGMENTS[index + 1]]
        assert segment["cutoff_s"] == pytest.approx(
            max(r[SEGMENTS[index]] for r in results[:through] if r[SEGMENTS[index]]), abs=1e-3)
        assert segment["eliminated"] == [r["Abbreviation"] for r in results[through:field[
            SEGMENTS[index]]]]


async def test_spain_overview_equals_fastf1(services: Services, ff1_cache: Path) -> None:
    facts = await overview(services, "2024/Spain/Q")
    session = load(2024, "Spain", "Q", ff1_cache)
    results = [{"Abbreviation": r.Abbreviation, **{s: seconds(getattr(r, s)) for s in SEGMENTS}}
               for r in session.results.itertuples()]
    check_against_classification(facts, results)
    assert [len(s["eliminated"]) for s in facts["segments"]] == [5, 5, 0]
    laps = session.laps[session.laps["LapTime"].notna() & ~session.laps["Deleted"].fillna(False)
                        .astype(bool)]
    for driver in facts["drivers"]:
        own = laps[laps["Driver"] == driver["driver"]]
        sectors = [own[f"Sector{i}Time"].min() for i in (1, 2, 3)]
        if any(pd.isna(s) for s in sectors):
            continue
        ideal = sum(seconds(s) or 0 for s in sectors)
        assert driver["ideal_lap_s"] == pytest.approx(ideal, abs=1.5e-3)
        assert driver["ideal_gain_s"] == pytest.approx(driver["best_lap_s"] - ideal, abs=2e-3)


async def test_hungary_overview_from_the_snapshot(services: Services) -> None:
    facts = await overview(services, "2024/Hungary/Q")
    records = session_file()["session_data"]["session_results"]["records"]
    ordered = sorted(records, key=lambda r: r["Position"])
    results = [{"Abbreviation": r["Abbreviation"],
                **{s: seconds(r[s]) if r.get(s) else None for s in SEGMENTS}} for r in ordered]
    check_against_classification(facts, results)
    assert facts["pole"]["driver"] == "NOR"


async def test_sprint_shootout_segments_are_named_sq(services: Services) -> None:
    response = await services.analysis.get(
        "/api/v1/analysis/sessions/2025/Miami/S/qualifying-overview")
    body = response.json()
    assert response.status_code == 422 and body["type"].endswith("/wrong-session-type")
    assert body["session_type"] == "S" and "race-trace" in body["applicable_analyses"]
    assert set(body["valid_values"]) == {"Q", "SQ", "SS"}
