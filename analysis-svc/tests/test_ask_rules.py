"""The rule-based answerer through ``POST /api/v1/analysis/ask`` (no model configured) on the
real sample sessions, 2024 Hungary Q and 2018 Azerbaijan R, through the real telemetry-svc.

Every value the answers state is checked against FastF1 itself loaded from the same frozen
responses (``fastf1_reference``, Baku), or against telemetry-svc's own laps table (Hungary,
whose sample is raw timing rather than FastF1 responses; and the clean-lap rule with scipy's
Theil-Sen fit for the stint slopes); nothing here calls analysis code."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from scipy.stats import theilslopes

from .fastf1_reference import lap_table, load, stop_cost
from .test_api_races import expected_clean_laps
from .upstream import Services

pytestmark = pytest.mark.asyncio(loop_scope="module")

ASK = "/api/v1/analysis/ask"
HUNGARY = {"year": 2024, "event": "Hungary", "session": "Q"}
BAKU = {"year": 2018, "event": "Azerbaijan", "session": "R"}


@pytest.fixture(scope="module")
def services(deterministic_services: Services) -> Services:
    return deterministic_services


async def ask(services: Services, question: str, context: dict[str, Any] | None,
              **extra: Any) -> dict[str, Any]:
    response = await services.analysis.post(ASK, json={"question": question,
                                                       "context": context, **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["answerer"] == "rules"
    assert body["answerer_reason"] == ("rule-based answerer: no model is configured "
                                       "(OPENAI_API_KEY)")
    return body


def tools_of(body: dict[str, Any]) -> list[str]:
    return [call["name"] for call in body["tool_calls"]]


async def lap_rows(services: Services, context: dict[str, Any]) -> list[dict[str, Any]]:
    """telemetry-svc's laps table (columnar) as rows, in lap order."""
    path = f"/api/v1/telemetry/sessions/{context['year']}/{context['event']}/{context['session']}"
    table = (await services.telemetry.get(f"{path}/laps")).json()["laps"]
    return sorted((dict(zip(table, values, strict=True))
                   for values in zip(*table.values(), strict=True)),
                  key=lambda r: (r["driver"], r["lap_number"]))


def best_by_driver(rows: list[dict[str, Any]], column: str) -> list[dict[str, Any]]:
    """Each driver's lap with the lowest ``column`` over laps not deleted, fastest first."""
    best: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row[column] is None or row.get("deleted"):
            continue
        if row["driver"] not in best or row[column] < best[row["driver"]][column]:
            best[row["driver"]] = row
    return sorted(best.values(), key=lambda r: r[column])


async def test_fastest_overall_matches_the_laps_table(services: Services) -> None:
    body = await ask(services, "Who was fastest?", HUNGARY)
    top, second, third = best_by_driver(await lap_rows(services, HUNGARY), "lap_time_s")[:3]
    expected = (f"{top['driver']} set the fastest lap: {top['lap_time_s']:.3f} s on lap "
                f"{top['lap_number']}. Next: {second['driver']} "
                f"+{second['lap_time_s'] - top['lap_time_s']:.3f} s, {third['driver']} "
                f"+{third['lap_time_s'] - top['lap_time_s']:.3f} s.")
    assert body["text"] == expected
    assert tools_of(body) == ["session_info", "fastest_laps"]
    assert all(call["ok"] and call["link"] == "/sessions/2024/Hungary/Q"
               for call in body["tool_calls"])


@pytest.mark.parametrize("wording, sector", [("Who was fastest in sector 2?", 2),
                                             ("quickest in the first sector?", 1)])
async def test_fastest_in_a_sector_matches_the_laps_table(services: Services, wording: str,
                                                          sector: int) -> None:
    body = await ask(services, wording, HUNGARY)
    column = f"sector{sector}_s"
    best = best_by_driver(await lap_rows(services, HUNGARY), column)
    top = best[0]
    assert body["text"].startswith(
        f"Fastest in sector {sector}: {top['driver']} with {top[column]:.3f} s "
        f"(lap {top['lap_number']})")
    others = ", ".join(f"{row['driver']} {row[column]:.3f} s" for row in best[1:3])
    assert body["text"].endswith(f"Next: {others}.")
    assert tools_of(body)[0] == "session_info" and set(tools_of(body)[1:]) == {"laps"}


async def test_compare_two_drivers_named_by_code_and_surname(services: Services) -> None:
    body = await ask(services, "Compare NOR and Piastri", HUNGARY)
    best = {r["driver"]: r for r in best_by_driver(await lap_rows(services, HUNGARY),
                                                    "lap_time_s")}
    nor, pia = best["NOR"], best["PIA"]
    t_nor, t_pia = nor["lap_time_s"], pia["lap_time_s"]
    faster = "NOR" if t_nor < t_pia else "PIA"
    assert body["text"].startswith(
        f"NOR's lap {nor['lap_number']} against PIA's lap {pia['lap_number']}: NOR "
        f"{t_nor:.3f} s, PIA {t_pia:.3f} s; {faster} faster by {abs(t_pia - t_nor):.3f} s.")
    for n in (1, 2, 3):
        a, b = nor[f"sector{n}_s"], pia[f"sector{n}_s"]
        who = "NOR" if a < b else "PIA"
        assert f"sector {n} {who} by {abs(b - a):.3f} s" in body["text"]
    assert re.search(r"NOR gained most at T\d+\w? \(\d\.\d{3} s\)\.", body["text"])
    call = body["tool_calls"][1]
    assert call["name"] == "compare_laps" and call["arguments"]["driver_b"] == "PIA"
    assert call["link"] == "/sessions/2024/Hungary/Q/compare?a=NOR&la=fastest&b=PIA&lb=fastest"


async def test_compare_takes_the_page_drivers_and_car_numbers(services: Services) -> None:
    from_page = await ask(services, "Compare them", {**HUNGARY, "drivers": ["ver", "HAM"]})
    assert from_page["text"].startswith("VER's lap") and "HAM's lap" in from_page["text"]
    by_number = await ask(services, "car #44 vs #1?", HUNGARY)
    assert by_number["text"].startswith("HAM's lap") and "VER's lap" in by_number["text"]


async def test_pit_stop_cost_matches_fastf1(services: Services, ff1_cache: Path) -> None:
    body = await ask(services, "What did Hamilton's pit stops cost?", BAKU)
    laps = lap_table(load(2018, "Azerbaijan", "R", ff1_cache))
    stops = sorted(n for (d, n), lap in laps.items()
                   if d == "HAM" and lap["pit_in"] and laps.get((d, n + 1), {}).get("pit_out"))
    assert stops == [22, 40]
    cost, _ = stop_cost(laps, "HAM", 22)
    assert cost is not None and stop_cost(laps, "HAM", 40)[0] is None
    assert body["text"].startswith(f"HAM made 2 pit stops: lap 22 (SUPERSOFT to SOFT): "
                                   f"{cost:.3f} s against cars that stayed out; lap 40 ")
    assert "lap 40 (SOFT to ULTRASOFT): cost not measured" in body["text"]
    assert f"Measured cost in all: {cost:.3f} s" in body["text"]
    assert body["tool_calls"][1]["arguments"]["drivers"] == ["HAM"]


async def test_places_gained_matches_the_classification(services: Services,
                                                        ff1_cache: Path) -> None:
    body = await ask(services, "Who gained the most places?", BAKU)
    results = load(2018, "Azerbaijan", "R", ff1_cache).results
    started = results[results.GridPosition > 0]
    gains = sorted(((int(r.GridPosition - r.Position), int(r.Position), r.Abbreviation,
                     int(r.GridPosition)) for r in started.itertuples()),
                   key=lambda g: (-g[0], g[1]))
    gained, position, driver, grid = gains[0]
    assert body["text"].startswith(f"{driver} gained the most places: from grid {grid} to "
                                   f"P{position}, {gained} places.")
    _, p2, d2, g2 = gains[1]
    assert f"Next: {d2} {gains[1][0]} (P{g2} to P{p2})" in body["text"]
    assert tools_of(body) == ["session_info", "results"]


async def test_stint_fade_matches_theil_sen_on_clean_laps(services: Services) -> None:
    body = await ask(services, "How did Vettel's pace fade per stint?", BAKU)
    vet = [r for r in await lap_rows(services, BAKU) if r["driver"] == "VET"]
    clean = expected_clean_laps(vet)
    checked = 0
    for stint in sorted({r["stint"] for r in vet if r["stint"] is not None}):
        points = [(r["tyre_life"], r["lap_time_s"]) for r in clean
                  if r["stint"] == stint and r["tyre_life"] is not None]
        mention = re.search(rf"stint {int(stint)} \([A-Z]+, laps \d+-\d+\): ([^;]+?)(?:;|\.$)",
                            body["text"])
        assert mention, body["text"]
        if len(points) < 4:
            assert mention.group(1) == f"{len(points)} clean laps, too few for a slope"
            continue
        slope = theilslopes([t for _, t in points], [a for a, _ in points]).slope
        assert mention.group(1).startswith(f"{slope:+.3f} s per lap of tyre age")
        assert mention.group(1).endswith(f"over {len(points)} clean laps")
        checked += 1
    assert checked >= 2
    assert tools_of(body) == ["session_info", "race_pace"]


async def test_questions_it_cannot_answer_list_what_it_can(services: Services) -> None:
    body = await ask(services, "What was the weather like?", HUNGARY)
    assert body["text"].startswith("The rule-based answerer does not understand that "
                                   "question. I can answer: Who was fastest?")
    for shape in ("sector 1, 2 or 3", "Compare", "pit stops cost", "gained the most places",
                  "pace fade per stint"):
        assert shape in body["text"]
    no_session = await ask(services, "Who was fastest?", None)
    assert no_session["text"].startswith("Open a session") and not no_session["tool_calls"]


async def test_unknown_drivers_and_race_only_shapes_say_why(services: Services) -> None:
    unknown = await ask(services, "compare NOR and XYZ", HUNGARY)
    assert unknown["text"].startswith("XYZ is not in this session. Name two drivers")
    assert "NOR" in unknown["text"] and "PIA" in unknown["text"]
    quali = await ask(services, "What did VER's pit stops cost?", HUNGARY)
    assert quali["text"].startswith("I could not read the pit stops: ")
    failed = quali["tool_calls"][1]
    assert failed["name"] == "strategy" and not failed["ok"] and failed["error"]
    no_grid = await ask(services, "who gained most positions?", HUNGARY)
    assert "no starting grid" in no_grid["text"]
    assert tools_of(no_grid) == ["session_info", "results"]
