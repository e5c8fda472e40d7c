"""The model path: the real openai client against a scripted OpenAI-compatible server on
127.0.0.1, a real database for the insight cache, real facts from Hungary 2024 Q."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import openai
import pytest

from pitwall_analysis.facts.lap_comparison import compare_laps
from pitwall_analysis.narrative.grounding import ground
from pitwall_analysis.narrative.limits import ModelCallLimiter
from pitwall_analysis.narrative.model_writer import ModelWriter
from pitwall_analysis.repositories.insight_cache import InsightCacheRepository
from pitwall_analysis.services.narrator import Narrator
from pitwall_shared.db import create_engine, create_session_factory
from pitwall_shared.limit_storage import create_limit_storage
from pitwall_shared.testing import free_port

from .model_server import Reply, ScriptedModelServer, answer
from .test_lap_comparison_facts import corner_marks, trace

MODEL = "test-model-1"
SESSION = {"year": 2024, "event_name": "Hungarian Grand Prix", "session": "Q"}


@pytest.fixture(scope="module")
def facts() -> dict[str, Any]:
    return compare_laps(trace("NOR"), trace("VER"), corner_marks())


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[Any]:
    engine = create_engine(database_url)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


def narrator_for(server: ScriptedModelServer, sessions: Any, *, timeout_s: float = 5.0,
                 retries: int = 2, limit: int = 10, deadline_s: float = 30.0,
                 limiter: ModelCallLimiter | None = None) -> Narrator:
    client = openai.AsyncOpenAI(api_key="test-key", base_url=server.url, max_retries=0)
    writer = ModelWriter(client, MODEL, timeout_s=timeout_s, retries=retries, backoff_s=0.05,
                         deadline_s=deadline_s)
    return Narrator(writer, limiter or ModelCallLimiter(limit), sessions)


def good_claims(facts: dict[str, Any]) -> list[dict[str, Any]]:
    t6 = next(c for c in facts["corners"] if c["corner"] == "T6")
    return [
        {"text": f"NOR beat VER by {facts['lap_time_delta_s']} s.",
         "figures": [facts["lap_time_delta_s"]], "fact_refs": ["lap_time_delta_s"]},
        {"text": f"Through T6 NOR carried {t6['a']['min_speed_kmh']:.0f} km/h against "
                 f"{t6['b']['min_speed_kmh']:.0f} km/h.",
         "figures": [t6["a"]["min_speed_kmh"], t6["b"]["min_speed_kmh"]],
         "fact_refs": ["corners[T6]"]},
    ]


async def narrate(narrator: Narrator, facts: dict[str, Any], user: str = "u1"):
    return await narrator.narrate("lap_comparison", SESSION, facts, user_id=user)


async def test_good_answer_is_used_labelled_and_cached(model_server, sessions, facts) -> None:
    model_server.script(Reply(answer(*good_claims(facts))))
    narrator = narrator_for(model_server, sessions)

    first = await narrate(narrator, facts)
    assert first.source == "model" and first.model == MODEL and not first.cached
    assert [i.text for i in first.insights] == [c["text"] for c in good_claims(facts)]
    assert first.dropped_claims == []
    sent = model_server.requests[0]
    assert sent["body"]["model"] == MODEL and sent["auth"] == "Bearer test-key"
    prompt = sent["body"]["messages"][1]["content"]
    assert json.loads(prompt.removeprefix("FACTS:\n"))["facts"] == facts

    second = await narrate(narrator, facts, user="someone-else")
    assert second.cached and second.source == "model"
    assert second.insights == first.insights
    assert len(model_server.requests) == 1, "a cache hit must not call the model"
    async with sessions() as db:
        assert await InsightCacheRepository(db).count() == 1


async def test_malformed_json_falls_back_to_the_deterministic_writer(
    model_server, sessions, facts
) -> None:
    model_server.script(Reply('{"insights": [{"text": "NOR was quick", '))
    narrative = await narrate(narrator_for(model_server, sessions), facts)
    assert narrative.source == "deterministic" and narrative.model is None
    assert "JSON" in (narrative.fallback_reason or "")
    assert narrative.insights and ground(narrative.insights, facts)[1] == []


async def test_json_in_a_markdown_fence_is_accepted(model_server, sessions, facts) -> None:
    model_server.script(Reply("```json\n" + answer(*good_claims(facts)) + "\n```"))
    narrative = await narrate(narrator_for(model_server, sessions), facts)
    assert narrative.source == "model" and len(narrative.insights) == 2


async def test_invented_number_is_dropped_and_the_rest_kept(model_server, sessions, facts) -> None:
    invented = {"text": "VER lost 0.913 s in the final sector.", "figures": [0.913],
                "fact_refs": ["sectors[2]"]}
    model_server.script(Reply(answer(*good_claims(facts), invented)))
    narrative = await narrate(narrator_for(model_server, sessions), facts)
    assert narrative.source == "model"
    assert len(narrative.insights) == 2
    assert len(narrative.dropped_claims) == 1
    assert narrative.dropped_claims[0].startswith(invented["text"])
    assert "0.913" in narrative.dropped_claims[0]


async def test_rate_limited_then_success_retries(model_server, sessions, facts) -> None:
    model_server.script(Reply(status=429, headers={"Retry-After": "0"}),
                        Reply(answer(*good_claims(facts))))
    narrative = await narrate(narrator_for(model_server, sessions, retries=2), facts)
    assert narrative.source == "model"
    assert len(model_server.requests) == 2


async def test_retries_are_bounded(model_server, sessions, facts) -> None:
    model_server.script(*[Reply(status=503) for _ in range(5)])
    narrative = await narrate(narrator_for(model_server, sessions, retries=1), facts)
    assert narrative.source == "deterministic"
    assert "503" in (narrative.fallback_reason or "")
    assert len(model_server.requests) == 2


async def test_timeout_falls_back_to_the_deterministic_writer(
    model_server, sessions, facts
) -> None:
    model_server.script(Reply(answer(*good_claims(facts)), delay_s=3.0))
    narrative = await narrate(
        narrator_for(model_server, sessions, timeout_s=0.3, retries=0), facts)
    assert narrative.source == "deterministic"
    assert narrative.fallback_reason == "the model timed out"
    assert any("NOR" in i.text for i in narrative.insights)


async def test_no_retry_that_would_overrun_the_deadline(model_server, sessions, facts) -> None:
    model_server.script(*[Reply(answer(*good_claims(facts)), delay_s=2.0) for _ in range(3)])
    narrative = await narrate(narrator_for(model_server, sessions, timeout_s=0.3, retries=3,
                                           deadline_s=0.5), facts)
    assert narrative.source == "deterministic"
    assert len(model_server.requests) == 1


async def test_an_unreachable_cache_database_does_not_stop_the_model_narrative(
    model_server, facts
) -> None:
    # Nothing listens on this port: the insight cache's database is down.
    engine = create_engine(f"mysql://root@127.0.0.1:{free_port()}/none")
    try:
        narrator = narrator_for(model_server, create_session_factory(engine))
        model_server.script(Reply(answer(*good_claims(facts))))
        narrative = await narrate(narrator, facts)
    finally:
        await engine.dispose()
    assert narrative.source == "model" and not narrative.cached


async def test_per_user_limit_on_model_calls(model_server, sessions, facts) -> None:
    model_server.script(Reply(answer(*good_claims(facts))))
    narrator = narrator_for(model_server, sessions, limit=1)
    assert (await narrate(narrator, facts)).source == "model"
    other = compare_laps(trace("PIA"), trace("LEC"), corner_marks())
    limited = await narrate(narrator, other)
    assert limited.source == "deterministic"
    assert "limit" in (limited.fallback_reason or "")
    assert len(model_server.requests) == 1


async def test_no_model_call_when_the_limit_cannot_be_checked(model_server, sessions,
                                                                facts) -> None:
    model_server.script(Reply(answer(*good_claims(facts))))
    unreachable = create_limit_storage(f"redis://127.0.0.1:{free_port()}/0", "pitwall-test")
    narrator = narrator_for(model_server, sessions, limiter=ModelCallLimiter(10, unreachable))
    narrative = await narrate(narrator, facts)
    assert narrative.source == "deterministic"
    assert narrative.fallback_reason == "the model call limit could not be checked"
    assert model_server.requests == []  # spending is never left unguarded


async def test_without_a_key_the_deterministic_writer_answers(sessions, facts) -> None:
    narrative = await narrate(Narrator(None, ModelCallLimiter(1), sessions), facts)
    assert narrative.source == "deterministic"
    assert "OPENAI_API_KEY" in (narrative.fallback_reason or "")
