"""Fastest-lap facts from a laps table built from the real Hungary 2024 Q best laps."""

from __future__ import annotations

import csv

import pytest

from pitwall_analysis.facts.fastest_laps import fastest_laps
from pitwall_analysis.narrative.deterministic import write
from pitwall_analysis.narrative.grounding import ground

from . import raw_data


def hungary_best_laps() -> dict[str, list[object]]:
    with (raw_data.hungary_dir() / "2024_Hungarian_GP_Qualifying_summary.csv").open() as f:
        rows = list(csv.DictReader(f))
    return {
        "driver": [r["driver"] for r in rows],
        "lap_number": [int(float(raw_data.driver_file(r["driver"])["lap_number"])) for r in rows],
        "lap_time_s": [float(r["lap_time_seconds"]) for r in rows],
        "sector1_s": [raw_data.seconds(r["sector_1"]) for r in rows],
        "sector2_s": [raw_data.seconds(r["sector_2"]) for r in rows],
        "sector3_s": [raw_data.seconds(r["sector_3"]) for r in rows],
        "compound": [r["compound"] for r in rows],
        "deleted": [False for _ in rows],
    }


def test_order_gaps_and_sector_deltas_to_the_fastest_lap() -> None:
    laps = hungary_best_laps()
    facts = fastest_laps(laps)
    times = dict(zip(laps["driver"], laps["lap_time_s"], strict=True))
    pole = min(times, key=times.__getitem__)
    assert facts["fastest"]["driver"] == pole
    assert [row["driver"] for row in facts["laps"]] == sorted(times, key=times.__getitem__)
    index = {d: i for i, d in enumerate(laps["driver"])}
    for row in facts["laps"]:
        i, p = index[row["driver"]], index[pole]
        assert row["gap_to_fastest_s"] == pytest.approx(times[row["driver"]] - times[pole],
                                                        abs=1e-3)
        for s in (1, 2, 3):
            column = laps[f"sector{s}_s"]
            assert row["sector_deltas_s"][s - 1] == pytest.approx(column[i] - column[p], abs=1e-3)


def test_deterministic_fastest_laps_narrative_is_grounded() -> None:
    facts = fastest_laps(hungary_best_laps())
    insights = write("fastest_laps", facts)
    assert insights and insights[0].text.startswith(facts["fastest"]["driver"])
    assert ground(insights, facts)[1] == []
