"""The sample pack's sessions are listed for the web app's picker, one of each session type."""

from __future__ import annotations

import json

import httpx

from pitwall_telemetry.sample_pack import (
    FROZEN_SESSIONS,
    SAMPLE_DATA_DIR,
    SAMPLE_SESSIONS,
    frozen_http_dir,
)

SAMPLES = "/api/v1/telemetry/samples"


async def test_samples_lists_all_ten_offline_sessions(client: httpx.AsyncClient):
    response = await client.get(SAMPLES)
    assert response.status_code == 200
    listed = response.json()
    assert len(listed) == len(SAMPLE_SESSIONS) == 10
    assert [(s["year"], s["event"], s["session"]) for s in listed] == \
        sorted(SAMPLE_SESSIONS, key=lambda s: (-s[0], s[1], s[2]))
    by_key = {(s["year"], s["event"], s["session"]): s for s in listed}
    monza = by_key[(2019, "Monza", "Q")]
    assert monza["label"] == "2019 Italian GP · Qualifying" and monza["round"] == 14
    assert by_key[(2020, "Hungary", "FP2")]["session_name"] == "Practice 2"
    assert by_key[(2022, "Silverstone", "FP1")]["event_name"] == "British Grand Prix"
    hungary = by_key[(2024, "Hungary", "Q")]
    assert hungary["telemetry"] is True and hungary["state"] == "ready"  # prebuilt
    assert sum(s["telemetry"] for s in listed) == 1
    # every session type the pack covers: practice, qualifying, sprint, race
    assert {s["session"] for s in listed} >= {"FP1", "FP2", "Q", "S", "R"}
    for sample in listed:  # each is a path the session routes accept
        path = f"/api/v1/telemetry/sessions/{sample['year']}/{sample['event']}/" \
               f"{sample['session']}/status"
        assert (await client.get(path)).status_code == 200


async def test_samples_needs_a_token(client: httpx.AsyncClient):
    response = await client.get(SAMPLES, headers={"Authorization": ""})
    assert response.status_code == 401


def test_frozen_responses_cover_each_frozen_session():
    urls = [json.loads(p.read_text())["url"]
            for p in frozen_http_dir(SAMPLE_DATA_DIR).glob("*.json")]
    for year, event, code in FROZEN_SESSIONS:
        assert any(f"/static/{year}/" in url for url in urls), (year, event, code)
