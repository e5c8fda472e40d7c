"""Charts through the API, drawn from the real telemetry-svc's Hungary 2024 Q sample data."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from .conftest import Stack
from .harness import bearer

pytestmark = pytest.mark.asyncio(loop_scope="module")

BASE = "/api/v1/charts/sessions/2024/Hungary/Q"
LAP_CHARTS = [
    ("speed-trace", "drivers=NOR,PIA"),
    ("delta", "drivers=NOR,PIA"),
    ("inputs", "drivers=NOR,PIA,VER"),
    ("track-map", "drivers=NOR&color_by=speed"),
    ("track-map", "drivers=VER&color_by=gear"),
    ("track-map", "drivers=NOR,PIA&color_by=delta"),
    ("lap-times", "drivers=NOR,PIA,VER"),
    ("tyre-strategy", ""),
]
STYLE_BACKGROUNDS = {"light": (255, 255, 255), "dark": (0x15, 0x15, 0x1E),
                     "print": (255, 255, 255), "team": (255, 255, 255)}


def svg_size_pt(svg: bytes) -> tuple[float, float]:
    root = ET.fromstring(svg)  # noqa: S314 (our own service's output)
    width, height = root.get("width", ""), root.get("height", "")
    return float(width.removesuffix("pt")), float(height.removesuffix("pt"))


@pytest.mark.parametrize(("chart", "query"), LAP_CHARTS)
async def test_png_has_the_requested_size_and_drawn_content(
    stack: Stack, chart: str, query: str
) -> None:
    response = await stack.client.get(
        f"{BASE}/{chart}.png?{query}&style=light&width=900&height=500",
        headers=bearer(stack.signer, "u-charts"),
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert image.size == (900, 500)
    # A drawn chart has many colours; a blank or failed canvas has one or two.
    assert len(image.getcolors(maxcolors=100_000) or []) > 50


@pytest.mark.parametrize(("chart", "query"), LAP_CHARTS[:4])
async def test_svg_is_well_formed_sized_and_labelled(
    stack: Stack, chart: str, query: str
) -> None:
    response = await stack.client.get(
        f"{BASE}/{chart}.svg?{query}&style=light&width=1200&height=600",
        headers=bearer(stack.signer, "u-charts"),
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("image/svg+xml")
    width, height = svg_size_pt(response.content)
    assert (width, height) == (pytest.approx(1200 * 0.72), pytest.approx(600 * 0.72))
    text = response.text
    assert "2024 Hungarian Grand Prix" in text  # subtitle names the real session
    driver = re.search(r"drivers=([A-Z]{3})", query)
    assert driver and driver.group(1) in text


async def test_positions_chart_for_a_race(stack: Stack) -> None:
    response = await stack.client.get(
        "/api/v1/charts/sessions/2018/Azerbaijan/R/positions.svg?style=team",
        headers=bearer(stack.signer, "u-race"))
    assert response.status_code == 200, response.text
    assert "2018 Azerbaijan Grand Prix" in response.text
    for code in ("HAM", "VET", "BOT", "RAI"):
        assert f">{code}<" in response.text  # every line is labelled at its last lap


async def test_2018_tyres_use_that_seasons_compound_colours(stack: Stack) -> None:
    response = await stack.client.get(
        "/api/v1/charts/sessions/2018/Azerbaijan/R/tyre-strategy.svg?drivers=HAM,VET",
        headers=bearer(stack.signer, "u-race"))
    assert response.status_code == 200, response.text
    svg = response.text.upper()
    # Ultrasoft (purple) and supersoft (red) were the 2018 Baku compounds.
    assert "#B24BA7" in svg and "#DA291C" in svg
    assert ">ULTRASOFT<" in svg and ">SUPERSOFT<" in svg


async def test_speed_trace_marks_the_circuit_corners(stack: Stack) -> None:
    response = await stack.client.get(f"{BASE}/speed-trace.svg?drivers=NOR,PIA",
                                      headers=bearer(stack.signer, "u-charts"))
    assert response.status_code == 200, response.text
    labels = set(re.findall(r">T(\d+)[A-Z]?<", response.text))
    # The Hungaroring has 14 numbered corners.
    assert {str(n) for n in range(1, 15)} <= labels


@pytest.mark.parametrize("style", ["light", "dark", "print", "team"])
async def test_style_preset_changes_background_and_line_colours(
    stack: Stack, style: str
) -> None:
    headers = bearer(stack.signer, "u-styles")
    png = await stack.client.get(f"{BASE}/speed-trace.png?drivers=NOR,VER&style={style}",
                                 headers=headers)
    assert png.status_code == 200, png.text
    image = Image.open(io.BytesIO(png.content)).convert("RGB")
    assert image.getpixel((2, 2)) == STYLE_BACKGROUNDS[style]
    assert png.headers["x-plot-style"] == f"{style}; source=request"
    svg = (await stack.client.get(f"{BASE}/speed-trace.svg?drivers=NOR,VER&style={style}",
                                  headers=headers)).text.upper()
    info = (await stack.telemetry_json("/api/v1/telemetry/sessions/2024/Hungary/Q", headers))
    colours = {d["abbreviation"]: "#" + d["team_colour"].upper() for d in info["drivers"]}
    has_team_colours = colours["NOR"] in svg and colours["VER"] in svg
    assert has_team_colours == (style == "team")
    if style == "print":
        strokes = set(re.findall(r"STROKE: (#[0-9A-F]{6})", svg))
        assert all(len({c[1:3], c[3:5], c[5:7]}) == 1 for c in strokes), strokes  # greys only


async def test_saved_preference_is_used_when_no_style_is_given(stack: Stack) -> None:
    stack.auth.styles["u-dark-fan"] = "dark"
    response = await stack.client.get(f"{BASE}/delta.png?drivers=NOR,PIA",
                                      headers=bearer(stack.signer, "u-dark-fan"))
    assert response.status_code == 200, response.text
    assert response.headers["x-plot-style"] == "dark; source=preference"
    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert image.getpixel((2, 2)) == STYLE_BACKGROUNDS["dark"]


async def test_chart_still_drawn_in_default_style_when_auth_is_down(stack: Stack) -> None:
    stack.auth.available = False
    try:
        response = await stack.client.get(f"{BASE}/delta.svg?drivers=NOR,PIA",
                                          headers=bearer(stack.signer, "u-dark-fan"))
    finally:
        stack.auth.available = True
    assert response.status_code == 200, response.text
    assert response.headers["x-plot-style"] == "light; source=default"


@pytest.mark.parametrize(
    ("path", "status", "needle"),
    [
        ("positions.svg", 422, "applies to R/S sessions"),
        ("delta.svg?drivers=NOR", 422, "exactly two drivers"),
        ("speed-trace.svg", 422, "needs drivers"),
        ("speed-trace.svg?drivers=NOR,N0R", 422, "three-letter"),
        ("speed-trace.svg?drivers=NOR,PIA&laps=fastest", 422, "one lap per driver"),
        ("speed-trace.svg?drivers=NOR&laps=0", 422, "lap"),
        ("speed-trace.svg?drivers=NOR&width=99999", 422, "width"),
        ("speed-trace.gif?drivers=NOR", 422, "fmt"),
        ("pie-chart.svg?drivers=NOR", 422, "chart"),
        ("speed-trace.svg?drivers=NOR&style=neon", 422, "style"),
        ("track-map.svg?drivers=NOR,PIA&color_by=speed", 422, "one driver"),
    ],
)
async def test_bad_chart_requests_are_problems(
    stack: Stack, path: str, status: int, needle: str
) -> None:
    response = await stack.client.get(f"{BASE}/{path}", headers=bearer(stack.signer, "u-bad"))
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert needle in response.json()["detail"]


async def test_unknown_driver_is_the_upstream_client_error(stack: Stack) -> None:
    response = await stack.client.get(f"{BASE}/speed-trace.svg?drivers=XYZ",
                                      headers=bearer(stack.signer, "u-bad"))
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_charts_need_a_valid_token(stack: Stack) -> None:
    anonymous = await stack.client.get(f"{BASE}/delta.svg?drivers=NOR,PIA")
    assert anonymous.status_code == 401
    forged = await stack.client.get(f"{BASE}/delta.svg?drivers=NOR,PIA",
                                    headers={"Authorization": "Bearer not-a-token"})
    assert forged.status_code == 401
    assert forged.headers["content-type"].startswith("application/problem+json")
