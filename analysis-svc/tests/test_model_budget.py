"""Model spending across the deployment: a global hourly budget on top of the per-user limit
(the deterministic writer answers, saying why, once it is spent), and a report job's calls
counted against the user it works for: ``X-On-Behalf-Of`` honoured from a trusted service
token only. Real analysis-svc and telemetry-svc in process, the real ``openai`` client
against the scripted OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest

from pitwall_analysis.narrative.limits import BUDGET_SPENT, LIMIT_REACHED, ModelCallLimiter
from pitwall_shared.auth_dependency import ON_BEHALF_OF_HEADER
from pitwall_shared.limit_storage import create_limit_storage
from pitwall_shared.testing import LOCAL_REDIS_URL, redis_key_prefix

from .model_server import Reply, ScriptedModelServer, answer
from .upstream import Services, running_services

SESSION = "/api/v1/analysis/sessions/2024/Hungary/Q"
# Three analyses of one session: different facts, so no answer comes from the cache.
FASTEST = f"{SESSION}/fastest-laps"
SUMMARY = f"{SESSION}/summary"
COMPARISON = f"{SESSION}/lap-comparison?driver_a=NOR&driver_b=PIA"


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    with redis_key_prefix("pitwall-analysis-budget") as prefix:
        yield prefix


async def test_the_budget_is_shared_by_all_users_and_replicas(redis_prefix: str) -> None:
    replicas = [ModelCallLimiter(2, create_limit_storage(LOCAL_REDIS_URL, redis_prefix),
                                 total_limit=3) for _ in range(2)]
    first, second = replicas
    assert await first.refusal("u-1") is None
    assert await second.refusal("u-2") is None
    assert await first.refusal("u-2") is None  # the third call of the hour, anyone's
    assert await second.refusal("u-3") == BUDGET_SPENT
    assert await first.refusal("u-1") == BUDGET_SPENT
    for limiter in replicas:
        await limiter.close()


async def test_a_user_over_their_limit_does_not_spend_the_budget() -> None:
    limiter = ModelCallLimiter(1, total_limit=2)
    assert await limiter.refusal("u-1") is None
    for _ in range(5):
        assert await limiter.refusal("u-1") == LIMIT_REACHED
    assert await limiter.refusal("u-2") is None  # the budget's second call is still there
    assert await limiter.refusal("u-3") == BUDGET_SPENT
    await limiter.close()


async def test_zero_budget_allows_no_call() -> None:
    limiter = ModelCallLimiter(5, total_limit=0)
    assert await limiter.refusal("u-1") == BUDGET_SPENT
    await limiter.close()


def bearer(services: Services, sub: str, role: str = "user") -> dict[str, str]:
    return {"Authorization": f"Bearer {services.signer.token(sub=sub, role=role)}"}


def with_model(data_dir: Path, database_url: str, server: ScriptedModelServer,
               **limits: int) -> AbstractAsyncContextManager[Services]:
    return running_services(
        data_dir, database_url, openai_api_key="sk-local-test", openai_base_url=server.url,
        model="local-model", model_timeout_s=5.0, model_retries=0, **limits)


@pytest.fixture
async def budgeted(telemetry_data_dir: Path, database_url: str,
                   model_server: ScriptedModelServer) -> AsyncIterator[Services]:
    async with with_model(telemetry_data_dir, database_url, model_server,
                          model_calls_per_hour=1, model_calls_per_hour_total=2) as running:
        yield running


async def test_spent_budget_gives_the_deterministic_writer_with_the_reason(
    budgeted: Services, model_server: ScriptedModelServer
) -> None:
    model_server.script(Reply(answer()), Reply(answer()), Reply(answer()))
    for user, path in (("u-1", FASTEST), ("u-2", SUMMARY)):
        response = await budgeted.analysis.get(path, headers=bearer(budgeted, user))
        assert response.status_code == 200, response.text
    assert len(model_server.requests) == 2

    refused = await budgeted.analysis.get(COMPARISON, headers=bearer(budgeted, "u-3"))
    assert refused.status_code == 200, refused.text
    narrative = refused.json()["insights"]
    assert narrative["source"] == "deterministic"
    assert narrative["fallback_reason"] == BUDGET_SPENT
    assert narrative["insights"]  # the writer still wrote from the facts
    assert len(model_server.requests) == 2


@pytest.fixture
async def per_user(telemetry_data_dir: Path, database_url: str,
                   model_server: ScriptedModelServer) -> AsyncIterator[Services]:
    async with with_model(telemetry_data_dir, database_url, model_server,
                          model_calls_per_hour=1) as running:
        yield running


async def test_a_service_acting_for_a_user_spends_that_users_calls(
    per_user: Services, model_server: ScriptedModelServer
) -> None:
    model_server.script(Reply(answer()), Reply(answer()))
    report_job = {**bearer(per_user, "service:report", "service"),
                  ON_BEHALF_OF_HEADER: "u-owner"}
    made = await per_user.analysis.get(FASTEST, headers=report_job)
    assert made.status_code == 200, made.text
    assert len(model_server.requests) == 1

    own = await per_user.analysis.get(SUMMARY, headers=bearer(per_user, "u-owner"))
    assert own.json()["insights"]["fallback_reason"] == LIMIT_REACHED
    other = await per_user.analysis.get(SUMMARY, headers=bearer(per_user, "u-other"))
    assert other.json()["insights"]["fallback_reason"] != LIMIT_REACHED
    assert len(model_server.requests) == 2


@pytest.mark.parametrize(("sub", "role"), [("u-attacker", "user"), ("u-admin", "admin"),
                                           ("service:telemetry", "service")])
async def test_only_a_trusted_service_may_act_for_someone(
    per_user: Services, model_server: ScriptedModelServer, sub: str, role: str
) -> None:
    response = await per_user.analysis.get(
        FASTEST, headers={**bearer(per_user, sub, role), ON_BEHALF_OF_HEADER: "u-victim"})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("/on-behalf-of-refused")
    assert model_server.requests == []
