"""Delta-time properties of the two-lap comparison on real Hungary telemetry.

Stated tolerance: the delta's last value equals the lap-time difference, and its values at the
two sector lines equal the cumulative sector-time differences, within 1 ms (values are
rounded to the millisecond).
"""

from __future__ import annotations

import httpx
import numpy as np
import pytest

from . import raw_hungary as raw

BASE = "/api/v1/telemetry/sessions/2024/Hungary/Q"
TOLERANCE_S = 0.001
PAIRS = [("NOR", "VER"), ("PIA", "NOR"), ("LEC", "SAI"), ("HAM", "GAS"), ("ZHO", "NOR")]


def sectors(abbr: str) -> list[float]:
    return [raw.td(s) or 0.0 for s in raw.driver(abbr)["sector_times"]]


@pytest.mark.parametrize(("a", "b"), PAIRS)
async def test_delta_ends_at_lap_time_difference_and_meets_sector_lines(
        client: httpx.AsyncClient, a: str, b: str):
    response = await client.get(f"{BASE}/compare", params={
        "driver_a": a, "lap_a": "fastest", "driver_b": b, "lap_b": "fastest", "points": 400})
    assert response.status_code == 200
    body = response.json()
    delta = np.array(body["delta_s"])
    distance = np.array(body["distance"])
    lap_a, lap_b = raw.driver(a)["lap_time_seconds"], raw.driver(b)["lap_time_seconds"]
    assert delta[0] == 0.0
    assert abs(delta[-1] - (lap_b - lap_a)) <= TOLERANCE_S
    assert np.all(np.diff(distance) > 0) and len(delta) == body["points"] == len(distance)
    sa, sb = sectors(a), sectors(b)
    boundaries = body["sector_boundaries_m"]
    assert len(boundaries) == 2
    for k, line in enumerate(boundaries):
        expected = sum(sb[: k + 1]) - sum(sa[: k + 1])
        at_line = delta[int(np.argmin(np.abs(distance - line)))]
        assert abs(at_line - expected) <= TOLERANCE_S, (k, at_line, expected)
    assert set(body["channels_a"]) == {"speed", "throttle", "brake", "gear"}
    assert len(body["channels_b"]["speed"]) == body["points"]


async def test_comparing_a_lap_with_itself_is_flat_zero(client: httpx.AsyncClient):
    body = (await client.get(f"{BASE}/compare", params={
        "driver_a": "VER", "driver_b": "ver", "lap_a": "20", "lap_b": "fastest"})).json()
    assert set(body["delta_s"]) == {0.0}
    assert body["channels_a"] == body["channels_b"]


async def test_delta_tracks_the_telemetry_between_sector_lines(client: httpx.AsyncClient):
    """Between the anchors the delta follows the laps' own timing: at mid-sector it must agree
    with a plain distance-normalised interpolation of the raw samples within 0.25 s (that
    naive curve carries the speed-integration error the sector anchoring removes)."""
    body = (await client.get(f"{BASE}/compare", params={
        "driver_a": "NOR", "driver_b": "PER", "points": 500})).json()
    distance = np.array(body["distance"])
    delta = np.array(body["delta_s"])

    def elapsed_at(abbr: str, fraction: np.ndarray) -> np.ndarray:
        tel = raw.driver(abbr)["telemetry"]
        t = np.array([raw.td(x) for x in tel["Time"]])
        d = np.cumsum(np.array(tel["Speed"]) / 3.6 * np.diff(t, prepend=0.0))
        return np.interp(fraction, d / d[-1], t)

    fractions = distance / distance[-1]
    naive = elapsed_at("PER", fractions) - elapsed_at("NOR", fractions)
    middle = (fractions > 0.1) & (fractions < 0.9)
    assert np.max(np.abs(delta[middle] - naive[middle])) < 0.25
