"""Narratives of the race-weekend analyses: the deterministic writer's figures all ground on
the facts, and the model path (the real openai client against the scripted OpenAI-compatible
server on 127.0.0.1) keeps grounded claims and drops invented ones."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import pytest_asyncio

from pitwall_analysis.narrative.grounding import ground
from pitwall_shared.contracts.analysis import Insight

from .model_server import Reply, ScriptedModelServer, answer
from .upstream import Services, running_services

pytestmark = pytest.mark.asyncio(loop_scope="module")

BAKU = "/api/v1/analysis/sessions/2018/Azerbaijan/R"
SPAIN = "/api/v1/analysis/sessions/2024/Spain/Q"
ROUTES = [f"{BAKU}/race-trace", f"{BAKU}/strategy", f"{BAKU}/pace-distribution",
          f"{SPAIN}/qualifying-overview"]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def model_server() -> AsyncIterator[ScriptedModelServer]:
    async with ScriptedModelServer.running() as server:
        yield server


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def services(telemetry_data_dir: Path, module_database: str,
                   model_server: ScriptedModelServer) -> AsyncIterator[Services]:
    async with running_services(
        telemetry_data_dir, module_database, openai_api_key="sk-local-test",
        openai_base_url=model_server.url, model="local-model", model_timeout_s=5.0,
        model_retries=0, model_backoff_s=0.05,
    ) as running:
        yield running


async def deterministic(services: Services, server: ScriptedModelServer,
                        path: str) -> dict[str, Any]:
    server.script(Reply(status=500))  # the model is down for this call
    response = await services.analysis.get(path)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["insights"]["source"] == "deterministic"
    return body


@pytest.mark.parametrize("path", ROUTES)
async def test_deterministic_insights_cite_only_facts(
    services: Services, model_server: ScriptedModelServer, path: str,
) -> None:
    body = await deterministic(services, model_server, path)
    insights = [Insight.model_validate(i) for i in body["insights"]["insights"]]
    assert len(insights) >= 3
    kept, dropped = ground(insights, body["facts"], body["session"])
    assert dropped == [] and len(kept) == len(insights)


async def test_strategy_insights_name_the_real_cost_and_the_unmeasured_stop(
    services: Services, model_server: ScriptedModelServer,
) -> None:
    body = await deterministic(services, model_server, f"{BAKU}/strategy")
    stops = {(s["driver"], s["in_lap"]): s for s in body["facts"]["pit_stops"]}
    texts = " ".join(i["text"] for i in body["insights"]["insights"])
    ham = stops[("HAM", 22)]
    loss = f"{ham['time_loss_s']:.3f}".rstrip("0").rstrip(".")
    assert f"HAM's stop on lap 22 cost {loss} s" in texts
    assert "too few to measure the cost" in texts
    assert "83.822" not in texts  # the old safety-car figure against his own median lap


async def test_model_claims_are_grounded_on_strategy_facts(
    services: Services, model_server: ScriptedModelServer,
) -> None:
    facts = (await deterministic(services, model_server, f"{BAKU}/strategy"))["facts"]
    ham = next(s for s in facts["pit_stops"] if s["driver"] == "HAM" and s["in_lap"] == 22)
    model_server.requests.clear()
    model_server.script(Reply(answer(
        {"text": f"HAM lost {ham['time_loss_s']} s in the pits on lap 22.",
         "figures": [ham["time_loss_s"]], "fact_refs": ["pit_stops"]},
        {"text": f"HAM compared against {ham['comparison_cars']} cars on lap 22.",
         "figures": [ham["comparison_cars"]], "fact_refs": ["pit_stops"]},
        {"text": "HAM's safety-car stop cost 83.822 s.", "figures": [83.822],
         "fact_refs": []},
    )))
    response = await services.analysis.get(f"{BAKU}/strategy")
    narrative = response.json()["insights"]
    assert narrative["source"] == "model" and narrative["model"] == "local-model"
    assert len(narrative["insights"]) == 2
    assert len(narrative["dropped_claims"]) == 1 and "83.822" in narrative["dropped_claims"][0]
    sent = model_server.requests[0]["body"]["messages"][1]["content"]
    assert "ABOUT THESE FACTS" in sent and "time_loss_s" in sent
    payload = orjson.loads(sent.split("FACTS:\n", 1)[1])
    assert payload["analysis"] == "strategy" and payload["facts"] == facts
