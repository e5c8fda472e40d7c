"""The model answering with tools through ``POST /api/v1/analysis/ask``: the real ``openai``
client against the scripted OpenAI-compatible server on 127.0.0.1, tools over the real
in-process telemetry-svc (2024 Hungary Q). The scripted server records every request, so
the tests see exactly what the model was sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from pitwall_analysis.narrative.limits import BUDGET_SPENT, LIMIT_REACHED

from .model_server import Reply, ScriptedModelServer
from .upstream import Services, running_services

ASK = "/api/v1/analysis/ask"
HUNGARY = {"year": 2024, "event": "Hungary", "session": "Q"}
FASTEST_RULES = "NOR set the fastest lap: 75.227 s on lap 17."


def tool_call(name: str, arguments: dict[str, Any] | str | None = None) -> dict[str, Any]:
    from pitwall_shared.testing_model import tool_call as scripted_call
    return scripted_call(name, arguments)


@asynccontextmanager
async def model_services(data_dir: Path, database_url: str, server: ScriptedModelServer,
                         **overrides: Any) -> AsyncIterator[Services]:
    settings: dict[str, Any] = {
        "openai_api_key": "sk-local-test", "openai_base_url": server.url,
        "model": "local-model", "model_timeout_s": 5.0, "ask_deadline_s": 20.0,
        "ask_max_tool_calls": 3}
    settings.update(overrides)
    async with running_services(data_dir, database_url, **settings) as running:
        yield running


@pytest.fixture
async def services(telemetry_data_dir: Path, database_url: str,
                   model_server: ScriptedModelServer) -> AsyncIterator[Services]:
    async with model_services(telemetry_data_dir, database_url, model_server) as running:
        yield running


async def ask(services: Services, question: str = "Who was fastest?") -> dict[str, Any]:
    response = await services.analysis.post(ASK, json={"question": question,
                                                       "context": HUNGARY})
    assert response.status_code == 200, response.text
    return dict(response.json())


def messages(server: ScriptedModelServer, index: int) -> list[dict[str, Any]]:
    return list(server.requests[index]["body"]["messages"])


async def test_multi_step_tool_calls_grounded_and_invented_numbers_dropped(
    services: Services, model_server: ScriptedModelServer,
) -> None:
    model_server.script(
        Reply(tool_calls=[tool_call("session_info", HUNGARY)]),
        Reply(tool_calls=[tool_call("fastest_laps", HUNGARY)]),
        Reply("NOR set the fastest lap with 75.227 s on lap 17. PIA was 0.022 s slower. "
              "NOR reached 341.7 km/h on the straight."))
    body = await ask(services)
    assert body["answerer"] == "model"
    assert body["text"] == ("NOR set the fastest lap with 75.227 s on lap 17. "
                            "PIA was 0.022 s slower.")
    assert body["dropped_claims"] == [
        "NOR reached 341.7 km/h on the straight. [unmatched: 341.7]"]
    assert "every number left in the answer matches one" in body["answerer_reason"]
    assert [(c["name"], c["ok"], c["link"]) for c in body["tool_calls"]] == [
        ("session_info", True, "/sessions/2024/Hungary/Q"),
        ("fastest_laps", True, "/sessions/2024/Hungary/Q")]
    assert len(model_server.requests) == 3
    first, last = messages(model_server, 0), messages(model_server, 2)
    assert [m["role"] for m in first] == ["system", "user"]
    assert "Question: Who was fastest?" in first[1]["content"]
    assert [m["role"] for m in last] == ["system", "user", "assistant", "tool", "assistant",
                                         "tool"]
    assert last[3]["tool_call_id"] == last[2]["tool_calls"][0]["id"]
    assert "75.227" in last[5]["content"]
    sent_tools = {t["function"]["name"] for t in model_server.requests[0]["body"]["tools"]}
    assert {"session_info", "fastest_laps", "compare_laps", "strategy", "chart"} <= sent_tools


async def test_unknown_tools_and_bad_arguments_are_refused_and_the_loop_goes_on(
    services: Services, model_server: ScriptedModelServer,
) -> None:
    model_server.script(
        Reply(tool_calls=[tool_call("delete_all_users", {}),
                          tool_call("fastest_laps", "{not json")]),
        Reply(tool_calls=[tool_call("fastest_laps", {**HUNGARY, "session": "../etc"})]),
        Reply("NOR was fastest."))
    body = await ask(services)
    calls = body["tool_calls"]
    assert [(c["name"], c["ok"]) for c in calls] == [
        ("delete_all_users", False), ("fastest_laps", False), ("fastest_laps", False)]
    assert "No tool named 'delete_all_users'" in calls[0]["error"]
    assert calls[1]["error"] == "arguments must be a JSON object"
    assert "Invalid arguments for fastest_laps" in calls[2]["error"]
    refusals = [m for m in messages(model_server, 1) if m["role"] == "tool"]
    assert "No tool named" in refusals[0]["content"] and len(refusals) == 2
    # the cap (3) is used up by the refused calls, so the last round offers no tools
    assert model_server.requests[2]["body"]["tool_choice"] == "none"
    assert body["answerer"] == "model" and body["text"] == "NOR was fastest."


async def test_tool_call_cap_holds_and_a_model_that_keeps_calling_gets_the_rules(
    services: Services, model_server: ScriptedModelServer,
) -> None:
    model_server.script(
        Reply(tool_calls=[tool_call("fastest_laps", HUNGARY) for _ in range(5)]),
        Reply(tool_calls=[tool_call("laps", HUNGARY)]))
    body = await ask(services)
    assert body["answerer"] == "rules"
    assert body["answerer_reason"] == ("rule-based answerer: the model kept asking for tools "
                                       "past the limit of 3 calls")
    assert body["text"].startswith(FASTEST_RULES)
    assert [c["name"] for c in body["tool_calls"]] == ["session_info", "fastest_laps"]
    second = model_server.requests[1]["body"]
    assert second["tool_choice"] == "none"
    answered = [m for m in second["messages"] if m["role"] == "tool"]
    assert len(answered) == 5
    assert sum("tool-call limit of 3 reached" in m["content"] for m in answered) == 2
    assert len(model_server.requests) == 2


@pytest.mark.parametrize("overrides, replies, reason, rounds", [
    # one round slower than its own timeout
    ({"model_timeout_s": 0.5}, [Reply("too late", delay_s=2.0)], "the model timed out", 1),
    # each round in time, all of them together past the deadline
    ({"ask_deadline_s": 1.0},
     [Reply(tool_calls=[tool_call("session_info", HUNGARY)], delay_s=0.6),
      Reply("late", delay_s=0.6)],
     "the model did not answer within the 1 s deadline", 2),
    # the usage the model reports counts against the cap
    ({"ask_max_tokens": 1000},
     [Reply(tool_calls=[tool_call("session_info", HUNGARY)], total_tokens=1500)],
     "the model used its 1000-token cap before answering", 1),
    # an empty answer is no answer
    ({}, [Reply("")], "the model answered with no text", 1),
])
async def test_time_and_token_bounds_give_the_rules_with_the_reason(
    telemetry_data_dir: Path, database_url: str, model_server: ScriptedModelServer,
    overrides: dict[str, float], replies: list[Reply], reason: str, rounds: int,
) -> None:
    async with model_services(telemetry_data_dir, database_url, model_server,
                              **overrides) as services:
        model_server.script(*replies)
        body = await ask(services)
    assert body["answerer"] == "rules"
    assert body["answerer_reason"] == f"rule-based answerer: {reason}"
    assert body["text"].startswith(FASTEST_RULES)
    assert len(model_server.requests) == rounds


@pytest.mark.parametrize("limits, reason, rounds", [
    ({"model_calls_per_hour_total": 0}, BUDGET_SPENT, 0),
    ({"model_calls_per_hour": 1}, LIMIT_REACHED, 1),
])
async def test_spent_budgets_give_the_rules(
    telemetry_data_dir: Path, database_url: str, model_server: ScriptedModelServer,
    limits: dict[str, int], reason: str, rounds: int,
) -> None:
    """Each model round is one model call: a one-call budget is spent after the first."""
    async with model_services(telemetry_data_dir, database_url, model_server,
                              **limits) as services:
        model_server.script(Reply(tool_calls=[tool_call("fastest_laps", HUNGARY)]),
                            Reply("NOR was fastest."))
        body = await ask(services)
    assert body["answerer"] == "rules" and body["answerer_reason"] == (
        f"rule-based answerer: {reason}")
    assert body["text"].startswith(FASTEST_RULES)
    assert len(model_server.requests) == rounds


async def test_an_answer_with_no_grounded_sentence_falls_back_listing_the_claims(
    services: Services, model_server: ScriptedModelServer,
) -> None:
    model_server.script(Reply(tool_calls=[tool_call("fastest_laps", HUNGARY)]),
                        Reply("VER won pole by 9.8765 s."))
    body = await ask(services)
    assert body["answerer"] == "rules"
    assert body["answerer_reason"] == ("rule-based answerer: no sentence of the model's answer "
                                       "matched the tool results")
    assert body["dropped_claims"] == ["VER won pole by 9.8765 s. [unmatched: 9.8765]"]
