"""Metrics of real model calls: analysis-svc and telemetry-svc in process, the real ``openai``
client against the scripted OpenAI-compatible server on 127.0.0.1. A failed call falls back
to the writer, one user's limit and then the global budget refuse, the facts memo is reused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from pitwall_shared.testing_metrics import MetricMoves

from .model_server import Reply, ScriptedModelServer, answer
from .upstream import Services, running_services

SESSION = "/api/v1/analysis/sessions/2024/Hungary/Q"
FASTEST = f"{SESSION}/fastest-laps"
SUMMARY = f"{SESSION}/summary"
COMPARISON = f"{SESSION}/lap-comparison?driver_a=NOR&driver_b=PIA"


@pytest.fixture
async def budgeted(telemetry_data_dir: Path, database_url: str,
                   model_server: ScriptedModelServer) -> AsyncIterator[Services]:
    async with running_services(
        telemetry_data_dir, database_url, openai_api_key="sk-local-test",
        openai_base_url=model_server.url, model="local-model", model_timeout_s=5.0,
        model_retries=0, model_calls_per_hour=1, model_calls_per_hour_total=2,
    ) as running:
        yield running


def bearer(services: Services, sub: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {services.signer.token(sub=sub)}"}


async def analysis_of(services: Services, path: str, user: str) -> dict[str, Any]:
    response = await services.analysis.get(path, headers=bearer(services, user))
    assert response.status_code == 200, response.text
    return dict(response.json())


def each_moved_once(moved: MetricMoves, **series: dict[str, str]) -> None:
    """Each ``pitwall_analysis_<name>`` series with its labels moved by exactly one."""
    got = {name: moved(f"pitwall_analysis_{name}", **labels) for name, labels in series.items()}
    assert got == dict.fromkeys(series, 1.0)


async def test_model_calls_fallbacks_refusals_and_memo_are_counted(
    budgeted: Services, model_server: ScriptedModelServer
) -> None:
    moved = MetricMoves()
    model_server.script(Reply(status=500))
    failed = await analysis_of(budgeted, FASTEST, "u-1")
    assert failed["insights"]["source"] == "deterministic"
    each_moved_once(moved, model_calls_total={"outcome": "http_error"},
                    model_call_duration_seconds_count={"outcome": "http_error"},
                    narrative_fallbacks_total={"reason": "model_unavailable"},
                    facts_memo_requests_total={"result": "miss"})

    over_own_limit = await analysis_of(budgeted, SUMMARY, "u-1")
    assert over_own_limit["insights"]["source"] == "deterministic"
    each_moved_once(moved, model_budget_refusals_total={"scope": "user"},
                    narrative_fallbacks_total={"reason": "user_limit"})

    top = failed["facts"]["laps"][0]
    model_server.script(Reply(answer({
        "text": f"{top['driver']} topped the session with {top['lap_time_s']} s.",
        "figures": [top["lap_time_s"]], "fact_refs": ["laps[0].lap_time_s"]})))
    written = await analysis_of(budgeted, FASTEST, "u-2")  # the same facts: from the memo
    assert written["insights"]["source"] == "model"
    each_moved_once(moved, model_calls_total={"outcome": "ok"},
                    model_call_duration_seconds_count={"outcome": "ok"},
                    facts_memo_requests_total={"result": "hit"})

    budget_spent = await analysis_of(budgeted, COMPARISON, "u-3")
    assert budget_spent["insights"]["source"] == "deterministic"
    each_moved_once(moved, model_budget_refusals_total={"scope": "global"},
                    narrative_fallbacks_total={"reason": "global_budget"})
    assert len(model_server.requests) == 2  # refusals never reached the model

    scraped = (await budgeted.analysis.get("/metrics")).text
    assert 'pitwall_analysis_model_budget_refusals_total{scope="global"}' in scraped
