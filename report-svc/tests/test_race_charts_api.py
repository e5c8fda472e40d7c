"""Race-weekend charts and session reports through the API, from the real analysis-svc and
telemetry-svc on the frozen 2018 Baku race and 2024 Spain qualifying."""

from __future__ import annotations

import io
import re
from typing import Any

import numpy as np
import pytest
from PIL import Image

from .conftest import Stack
from .harness import bearer, wait_for_job
from .pdf_checks import read_pdf

pytestmark = pytest.mark.asyncio(loop_scope="module")

RACE = "/api/v1/charts/sessions/2018/Azerbaijan/R"
QUALI = "/api/v1/charts/sessions/2024/Spain/Q"
SPRINT = "/api/v1/charts/sessions/2025/Miami/S"
ANALYSIS = "/api/v1/analysis/sessions"
CHARTS = [
    (RACE, "race-trace", "drivers=HAM,VET"),
    (RACE, "positions", ""),
    (RACE, "race-pace", ""),
    (RACE, "team-pace", ""),
    (RACE, "degradation", "drivers=HAM,VET,RAI"),
    (RACE, "tyre-strategy", ""),
    (QUALI, "quali-gaps", ""),
    (SPRINT, "race-trace", "drivers=NOR,PIA"),
    (SPRINT, "tyre-strategy", ""),
]
BACKGROUNDS = {"light": (255, 255, 255), "dark": (0x15, 0x15, 0x1E),
               "print": (255, 255, 255), "team": (255, 255, 255)}


def texts(svg: str) -> list[str]:
    return re.findall(r">([^<>]+)</text>", svg)


@pytest.mark.parametrize(("base", "chart", "query"), CHARTS)
async def test_race_weekend_chart_png_and_svg(
    stack: Stack, base: str, chart: str, query: str
) -> None:
    headers = bearer(stack.signer, "u-race-charts")
    png = await stack.client.get(f"{base}/{chart}.png?{query}&width=1000&height=560",
                                 headers=headers)
    assert png.status_code == 200, png.text
    image = np.asarray(Image.open(io.BytesIO(png.content)).convert("RGB"), dtype=float)
    assert image.shape[:2] == (560, 1000)
    drawn = (np.abs(image - 255).sum(axis=2) > 30).mean()
    assert drawn > 0.04, drawn  # light background: a blank canvas would be ~0
    svg = await stack.client.get(f"{base}/{chart}.svg?{query}", headers=headers)
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    labels = texts(svg.text)
    assert any("Grand Prix" in label for label in labels)
    for code in re.findall(r"[A-Z]{3}", query):
        assert code in labels, (code, chart)


@pytest.mark.parametrize("style", list(BACKGROUNDS))
async def test_race_trace_and_quali_gaps_in_every_style(stack: Stack, style: str) -> None:
    headers = bearer(stack.signer, "u-race-styles")
    for path in (f"{RACE}/race-trace.png?drivers=HAM", f"{QUALI}/quali-gaps.png"):
        response = await stack.client.get(f"{path}{'&' if '?' in path else '?'}style={style}",
                                          headers=headers)
        assert response.status_code == 200, response.text
        image = Image.open(io.BytesIO(response.content)).convert("RGB")
        assert image.getpixel((2, 2)) == BACKGROUNDS[style]
        assert len(image.getcolors(maxcolors=100_000) or []) > 30


async def test_race_trace_legend_and_shading_follow_the_facts(stack: Stack) -> None:
    headers = bearer(stack.signer, "u-race-facts")
    facts = (await stack.analysis_json(f"{ANALYSIS}/2018/Azerbaijan/R/race-trace",
                                       headers))["facts"]
    svg = (await stack.client.get(f"{RACE}/race-trace.svg?drivers=HAM,BOT",
                                  headers=headers)).text
    labels = texts(svg)
    assert "HAM" in labels and "BOT" in labels
    unchosen = {d["driver"] for d in facts["drivers"]} - {"HAM", "BOT"}
    assert not unchosen & set(labels)  # the rest are grey lines without legend entries
    kinds = {n["kind"] for n in facts["neutralisations"]}
    assert "SC" in kinds and "Safety car" in labels


async def test_tyre_strategy_keeps_the_race_order(stack: Stack) -> None:
    headers = bearer(stack.signer, "u-race-facts")
    facts = (await stack.analysis_json(f"{ANALYSIS}/2018/Azerbaijan/R/strategy",
                                       headers))["facts"]
    svg = (await stack.client.get(f"{RACE}/tyre-strategy.svg", headers=headers)).text
    codes = [t for t in texts(svg) if re.fullmatch(r"[A-Z]{3}", t) and t not in ("SC", "VSC")]
    assert codes == [d["driver"] for d in facts["drivers"]]
    assert "Pit stop" in texts(svg)


@pytest.mark.parametrize(
    ("path", "status", "slug", "needle"),
    [
        ("/api/v1/charts/sessions/2024/Hungary/Q/race-trace.svg", 422, "wrong-session-type",
         "quali-gaps"),
        ("/api/v1/charts/sessions/2024/Hungary/Q/race-pace.png", 422, "wrong-session-type",
         "R/S"),
        (f"{RACE}/quali-gaps.svg", 422, "wrong-session-type", "race-trace"),
        (f"{RACE}/race-trace.svg?drivers=HAM,XYZ", 404, "unknown-driver", "XYZ"),
        (f"{QUALI}/quali-gaps.svg?drivers=ZZZ", 404, "unknown-driver", "ZZZ"),
        (f"{RACE}/degradation.svg?drivers=HAM,VET,RAI,BOT,PER,SAI,LEC", 422,
         "validation-error", "At most 6"),
    ],
)
async def test_race_chart_problems(
    stack: Stack, path: str, status: int, slug: str, needle: str
) -> None:
    response = await stack.client.get(path, headers=bearer(stack.signer, "u-race-bad"))
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"].endswith(f"/{slug}")
    assert needle in response.text
    if slug == "unknown-driver":
        assert "HAM" in body["valid_values"] or "VER" in body["valid_values"]
    if slug == "wrong-session-type":
        assert body["applicable_analyses"]


async def _report_text(stack: Stack, user: str, body: dict[str, Any]) -> tuple[Any, str]:
    headers = bearer(stack.signer, user)
    created = await stack.client.post("/api/v1/reports", json=body, headers=headers)
    assert created.status_code == 202, created.text
    done = await wait_for_job(stack.client, created.json()["id"], headers, timeout=300)
    assert done["status"] == "succeeded", done
    pdf = read_pdf((await stack.client.get(done["pdf_url"], headers=headers)).content)
    return pdf, re.sub(r"\s+", " ", pdf.text)


async def test_race_session_report_has_the_race_charts_and_real_pit_costs(stack: Stack) -> None:
    headers = bearer(stack.signer, "u-race-pdf")
    pdf, text = await _report_text(stack, "u-race-pdf", {
        "kind": "session_summary", "year": 2018, "event": "Azerbaijan", "session": "R"})
    strategy = (await stack.analysis_json(f"{ANALYSIS}/2018/Azerbaijan/R/strategy",
                                          headers))["facts"]
    winner = strategy["drivers"][0]["driver"]
    cover = pdf.page_texts[0].upper()
    assert winner == "HAM" and "WINNER" in cover and "HAM" in cover
    for title in ("Race trace", "Race positions", "Race pace: clean laps per driver",
                  "Team pace ranking", "Tyre strategy and pit stops", "Tyre degradation",
                  "Pit stops", "Undercuts and overcuts", "Team-mates", "Key insights"):
        assert title in text, title
    measured = [s for s in strategy["pit_stops"] if s["time_loss_s"] is not None]
    unmeasured = [s for s in strategy["pit_stops"] if s["time_loss_s"] is None]
    assert measured and unmeasured  # Baku 2018: green-flag stops and safety-car stops
    for stop in measured:
        assert f"{stop['time_loss_s']:.3f}" in text, stop
    # A stop under the safety car has no cost, and the table says why instead of a number.
    assert "not measured" in text
    assert re.sub(r"\s+", " ", unmeasured[0]["note"])[:40] in text
    assert pdf.pages >= 6
    assert all(f"Page {n} of {pdf.pages}" in t for n, t in enumerate(pdf.page_texts, 1))


async def test_qualifying_session_report_has_the_overview(stack: Stack) -> None:
    headers = bearer(stack.signer, "u-quali-pdf")
    pdf, text = await _report_text(stack, "u-quali-pdf", {
        "kind": "session_summary", "year": 2024, "event": "Spain", "session": "Q",
        "style": "print"})
    overview = (await stack.analysis_json(f"{ANALYSIS}/2024/Spain/Q/qualifying-overview",
                                          headers))["facts"]
    pole, second = overview["drivers"][0], overview["drivers"][1]
    assert pole["driver"] in pdf.page_texts[0] and "POLE" in pdf.page_texts[0].upper()
    assert f"+{second['gap_to_pole_s']:.3f}" in text
    for title in ("Gap to pole", "Who went through", "Ideal lap", "Out in Q1", "Q1 cut-off"):
        assert title in text, title
    knocked = [d["driver"] for d in overview["drivers"] if d["knocked_out_in"] == "Q1"]
    assert knocked and all(code in text for code in knocked)
