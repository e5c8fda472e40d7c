"""Each race-weekend chart drawn in every style preset from facts built out of the real
2018 Baku race and 2024 Spain qualifying lap tables (telemetry-svc on the frozen FastF1
responses). analysis-svc is not what is under test here, so the facts come from the small
builder in ``facts_from_laps``; the endpoint tests draw the same charts from analysis-svc."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from PIL import Image

from pitwall_report.rendering.chart_data import ChartData, ChartKind, RenderRequest
from pitwall_report.rendering.figure import configure_matplotlib
from pitwall_report.rendering.renderer import ChartDataError, render_chart
from pitwall_report.rendering.styles import STYLE_NAMES, get_style
from pitwall_shared.testing import TestSigner
from pitwall_telemetry.config import Settings as TelemetrySettings
from pitwall_telemetry.main import create_app as create_telemetry_app

from . import facts_from_laps as build
from .harness import STARTUP_TIMEOUT

pytestmark = pytest.mark.asyncio(loop_scope="module")

RACE_KINDS: list[ChartKind] = ["race-trace", "positions", "race-pace", "team-pace",
                               "degradation", "tyre-strategy"]


@dataclass
class Sessions:
    race: dict[str, Any]
    qualifying: dict[str, Any]


async def _session(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> Any:
    info = await client.get(path, headers=headers)
    laps = await client.get(f"{path}/laps", headers=headers)
    assert info.status_code == laps.status_code == 200, (info.text, laps.text)
    return info.json(), laps.json()["laps"]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def sessions(telemetry_data_dir: Path) -> AsyncIterator[Sessions]:
    signer = TestSigner()
    app = create_telemetry_app(TelemetrySettings(
        PITWALL_DATA_DIR=telemetry_data_dir, offline=True,
        load_workers=1, environment="test", warm_pool=False))
    app.state.token_verifier = signer.verifier()
    headers = {"Authorization": f"Bearer {signer.token(sub='u-draw', ttl=3600)}"}
    async with (LifespanManager(app, startup_timeout=STARTUP_TIMEOUT),
                httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t",
                                  timeout=120) as client):
        base = "/api/v1/telemetry/sessions"
        race = await _session(client, f"{base}/2018/Azerbaijan/R", headers)
        quali = await _session(client, f"{base}/2024/Spain/Q", headers)
    configure_matplotlib()
    yield Sessions(
        race={"race_trace": build.race_trace(*race), "strategy": build.strategy(*race),
              "pace": build.pace(*race), "year": 2018},
        qualifying={"qualifying": build.qualifying(*quali), "year": 2024})


def _draw(kind: ChartKind, style: str, fmt: str, facts: dict[str, Any],
          drivers: list[str] | None = None) -> bytes:
    data = ChartData(kind, f"{kind} test", "real session", drivers=drivers or [], **facts)
    return render_chart(RenderRequest(data, style, fmt, 900, 520))  # type: ignore[arg-type]


def _drawn_pixels(png: bytes, background: str) -> tuple[tuple[int, int], float, float]:
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)
    back = np.array([int(background.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)])
    differs = np.abs(image - back).sum(axis=2) > 30
    return (image.shape[1], image.shape[0]), float(differs.mean()), float(image.std())


@pytest.mark.parametrize("style", STYLE_NAMES)
@pytest.mark.parametrize("kind", RACE_KINDS)
async def test_race_chart_png_is_drawn_in_every_style(
    sessions: Sessions, kind: ChartKind, style: str
) -> None:
    png = _draw(kind, style, "png", sessions.race)
    size, drawn, spread = _drawn_pixels(png, get_style(style).background)
    assert size == (900, 520)
    # Not blank: a real chart covers a good share of the canvas with marks.
    assert drawn > 0.04, drawn
    assert spread > 10, spread


@pytest.mark.parametrize("style", STYLE_NAMES)
async def test_quali_gaps_png_is_drawn_in_every_style(sessions: Sessions, style: str) -> None:
    png = _draw("quali-gaps", style, "png", sessions.qualifying)
    size, drawn, _ = _drawn_pixels(png, get_style(style).background)
    assert size == (900, 520) and drawn > 0.05


def _texts(svg: bytes) -> list[str]:
    return re.findall(r">([^<>]+)</text>", svg.decode())


async def test_race_trace_svg_names_highlighted_drivers_and_the_safety_car(
    sessions: Sessions,
) -> None:
    texts = _texts(_draw("race-trace", "light", "svg", sessions.race, ["HAM", "VET"]))
    assert {"HAM", "VET", "Safety car", "Pit stop"} <= set(texts)
    assert "BOT" not in texts  # not highlighted: a thin grey line, no legend entry
    everyone = _texts(_draw("race-trace", "light", "svg", sessions.race))
    assert {"HAM", "RAI", "PER", "BOT", "VER"} <= set(everyone)


async def test_race_pace_orders_drivers_by_finish_and_colours_by_2018_compounds(
    sessions: Sessions,
) -> None:
    svg = _draw("race-pace", "team", "svg", sessions.race)
    texts = _texts(svg)
    drivers = [t for t in texts if re.fullmatch(r"[A-Z]{3}", t)]
    finish = [ref.driver for ref in sessions.race["pace"].drivers if len(ref.lap_time_s) >= 2]
    assert drivers[:len(finish)] == finish
    assert {"Ultrasoft", "Supersoft", "Soft"} <= set(texts)
    assert "#B24BA7" in svg.decode().upper()  # 2018 ultrasoft purple on the points


async def test_team_pace_is_fastest_first(sessions: Sessions) -> None:
    texts = _texts(_draw("team-pace", "light", "svg", sessions.race))
    teams = [t.team for t in sessions.race["pace"].teams]
    assert [t for t in texts if t in teams] == teams
    assert "fastest" in texts


async def test_degradation_shows_each_fitted_slope(sessions: Sessions) -> None:
    texts = " ".join(_texts(_draw("degradation", "light", "svg", sessions.race, ["HAM"])))
    slopes = [s.degradation_s_per_lap for s in sessions.race["strategy"].stints
              if s.driver == "HAM" and s.degradation_s_per_lap is not None]
    assert slopes
    for slope in slopes:
        assert f"{slope:+.3f} s/lap" in texts


async def test_tyre_strategy_marks_stops_and_neutralisations(sessions: Sessions) -> None:
    texts = _texts(_draw("tyre-strategy", "light", "svg", sessions.race))
    assert {"Pit stop", "Safety car", "SC"} <= set(texts)
    order = [t for t in texts if re.fullmatch(r"[A-Z]{3}", t) and t != "SC"]
    assert order[:3] == ["HAM", "RAI", "PER"]  # finishing order, as on every race chart


async def test_quali_gaps_marks_knockouts_and_ideal_laps(sessions: Sessions) -> None:
    texts = _texts(_draw("quali-gaps", "light", "svg", sessions.qualifying))
    assert {"Out in Q1", "Out in Q2", "Ideal lap (best sectors)"} <= set(texts)
    assert "Q1 cut-off " in texts or "Q1 cut-off" in " ".join(texts)
    facts = sessions.qualifying["qualifying"]
    assert texts.count(facts.drivers[0].driver) == 1
    assert f"+{facts.drivers[1].gap_to_pole_s:.3f}" in texts


async def test_a_chart_without_its_facts_is_a_clear_error(sessions: Sessions) -> None:
    with pytest.raises(ChartDataError, match="only races and sprints"):
        _draw("race-trace", "light", "svg", {"year": 2024})
    with pytest.raises(ChartDataError, match="only Q, SQ and SS"):
        _draw("quali-gaps", "light", "svg", sessions.race)
