"""The model path through the API: analysis-svc configured with OPENAI_API_KEY and
OPENAI_BASE_URL pointing at the scripted OpenAI-compatible server on 127.0.0.1, data from
the real in-process telemetry-svc."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from pitwall_analysis.narrative.prompt import PROMPT_VERSION

from .model_server import Reply, ScriptedModelServer, answer
from .upstream import Services, running_services

FASTEST = "/api/v1/analysis/sessions/2024/Hungary/Q/fastest-laps"


@pytest.fixture
async def services(telemetry_data_dir: Path, database_url: str,
                   model_server: ScriptedModelServer) -> AsyncIterator[Services]:
    async with running_services(
        telemetry_data_dir, database_url, openai_api_key="sk-local-test",
        openai_base_url=model_server.url,
        model="local-model", model_timeout_s=2.0, model_retries=1, model_backoff_s=0.05,
    ) as running:
        yield running


def claims_from(facts: dict[str, Any]) -> list[dict[str, Any]]:
    top, second = facts["laps"][0], facts["laps"][1]
    return [
        {"text": f"{top['driver']} topped the session with {top['lap_time_s']} s.",
         "figures": [top["lap_time_s"]], "fact_refs": ["laps[0].lap_time_s"]},
        {"text": f"{second['driver']} was {second['gap_to_fastest_s']} s behind.",
         "figures": [second["gap_to_fastest_s"]], "fact_refs": ["laps[1].gap_to_fastest_s"]},
        {"text": f"{second['driver']} would have needed 0.777 s less in sector 1.",
         "figures": [0.777], "fact_refs": []},
    ]


async def facts_of_fastest_laps(services: Services, server: ScriptedModelServer) -> dict:
    """Facts as the deterministic path computes them (the model is down for this call)."""
    server.script(Reply(status=500), Reply(status=500))
    response = await services.analysis.get(FASTEST)
    assert response.json()["insights"]["source"] == "deterministic"
    return dict(response.json()["facts"])


async def test_model_narrative_through_the_api_is_grounded_labelled_and_cached(
    services: Services, model_server: ScriptedModelServer
) -> None:
    facts = await facts_of_fastest_laps(services, model_server)
    model_server.requests.clear()
    model_server.script(Reply(answer(*claims_from(facts))))

    response = await services.analysis.get(FASTEST)
    assert response.status_code == 200, response.text
    narrative = response.json()["insights"]
    assert narrative["source"] == "model" and narrative["model"] == "local-model"
    assert narrative["prompt_version"] == PROMPT_VERSION and not narrative["cached"]
    assert [i["text"] for i in narrative["insights"]] == [c["text"] for c in
                                                          claims_from(facts)[:2]]
    assert len(narrative["dropped_claims"]) == 1 and "0.777" in narrative["dropped_claims"][0]
    sent = orjson.loads(model_server.requests[0]["body"]["messages"][1]["content"]
                        .removeprefix("FACTS:\n"))
    assert sent["facts"] == facts and sent["analysis"] == "fastest_laps"

    again = await services.analysis.get(FASTEST)
    assert again.json()["insights"]["cached"] is True
    assert len(model_server.requests) == 1


async def test_stream_carries_the_model_label(services: Services,
                                              model_server: ScriptedModelServer) -> None:
    facts = await facts_of_fastest_laps(services, model_server)
    model_server.script(Reply(answer(*claims_from(facts)[:2])))
    response = await services.analysis.get(
        "/api/v1/analysis/sessions/2024/Hungary/Q/narrative-stream",
        params={"analysis": "fastest-laps"})
    blocks = [b for b in response.text.strip().split("\n\n")]
    final = next(b for b in blocks if b.startswith("event: narrative"))
    label = orjson.loads(final.split("data: ", 1)[1])
    assert label["source"] == "model" and label["model"] == "local-model"
    assert sum(b.startswith("event: insight") for b in blocks) == 2
