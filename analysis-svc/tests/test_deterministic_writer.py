from __future__ import annotations

from pitwall_analysis.facts.lap_comparison import compare_laps
from pitwall_analysis.narrative.deterministic import write
from pitwall_analysis.narrative.grounding import ground

from .test_lap_comparison_facts import corner_marks, trace


def test_lap_comparison_insights_are_specific_and_grounded() -> None:
    facts = compare_laps(trace("NOR"), trace("VER"), corner_marks())
    insights = write("lap_comparison", facts)
    texts = [i.text for i in insights]
    assert texts[0].startswith("NOR's lap 17") and f"by {facts['lap_time_delta_s']} s" in texts[0]
    best_for_a = facts["won_and_lost"]["a_gained"][0]
    assert any(t.startswith(f"NOR gained {best_for_a['time_delta_s']} s") for t in texts)
    assert any("km/h more minimum speed" in t for t in texts)
    assert ground(insights, facts)[1] == []


def test_two_laps_of_one_driver_are_told_apart_by_lap() -> None:
    lap = trace("NOR")
    facts = compare_laps(lap, lap, corner_marks())
    assert facts["lap_time_delta_s"] == 0 and facts["integrated_delta_s"] == 0
    texts = [i.text for i in write("lap_comparison", facts)]
    name = f"NOR (lap {facts['a']['lap_number']})"
    assert texts[0] == f"{name} and {name} set the same lap time, {facts['a']['lap_time_s']} s."
