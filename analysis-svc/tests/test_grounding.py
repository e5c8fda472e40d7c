from __future__ import annotations

from pitwall_analysis.narrative.grounding import fact_values, figure_is_grounded, figures_in, ground
from pitwall_shared.contracts.analysis import Insight

FACTS = {"corners": [{"corner": "T4", "number": 4, "time_delta_s": -0.138,
                      "min_speed_diff_kmh": 6.6}], "lap_time_s": 75.227}


def test_figures_written_with_fewer_decimals_match_within_half_a_unit() -> None:
    values = fact_values(FACTS)
    assert figure_is_grounded("0.14", values)  # 0.138 rounded
    assert figure_is_grounded("0.138", values)
    assert figure_is_grounded("7", values)  # 6.6 rounded
    assert not figure_is_grounded("0.15", values)
    assert not figure_is_grounded("0.139", values)
    assert not figure_is_grounded("8", values)
    assert figure_is_grounded("75.2", values)


def test_labels_glued_to_letters_are_not_figures() -> None:
    assert figures_in("NOR gained 0.14 s at T4 in Q3, on lap 17.") == ["0.14", "17"]
    assert figures_in("turns 4-5 cost 1,234.5 m") == ["4", "5", "1234.5"]
    assert figures_in("lost 0.913s, 7kph, 3rd") == ["0.913", "7", "3"]


def test_ground_keeps_matching_claims_and_drops_the_rest() -> None:
    good = Insight(text="NOR gained 0.14 s through turn 4.", figures=[0.138])
    bad = Insight(text="VER was 9.9 km/h faster.")
    listed = Insight(text="A big gain.", figures=[1.7])
    kept, dropped = ground([good, bad, listed], FACTS)
    assert kept == [good]
    assert len(dropped) == 2 and "9.9" in dropped[0] and "1.7" in dropped[1]
