"""Ask conversations: stored per user with each answer's tool calls, listed newest first,
read, deleted one by one or all at once (account deletion), other users' invisible (404),
bad input refused without a change, and the retention bounds. analysis-svc without a model
over the real telemetry-svc; the database is the suite's (MariaDB when available)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from .upstream import Services, running_services

ASK = "/api/v1/analysis/ask"
CONVERSATIONS = "/api/v1/analysis/conversations"
HUNGARY = {"year": 2024, "event": "Hungary", "session": "Q"}


@pytest.fixture
async def services(telemetry_data_dir: Path, database_url: str) -> AsyncIterator[Services]:
    async with running_services(telemetry_data_dir, database_url, openai_api_key=None,
                                ask_conversations_per_user=3,
                                ask_answers_per_conversation=2) as running:
        yield running


def as_user(services: Services, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {services.signer.token(sub=user)}"}


async def ask(services: Services, user: str, question: str, **extra: Any) -> dict[str, Any]:
    response = await services.analysis.post(ASK, headers=as_user(services, user),
                                            json={"question": question, **extra})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_answers_are_kept_in_conversations_with_their_tool_calls(
    services: Services,
) -> None:
    first = await ask(services, "ana", "Who was fastest?", context=HUNGARY)
    follow = await ask(services, "ana", "Compare NOR and PIA", context=HUNGARY,
                       conversation_id=first["conversation_id"])
    other = await ask(services, "ana", "What can you do?")
    assert follow["conversation_id"] == first["conversation_id"] != other["conversation_id"]

    page = (await services.analysis.get(CONVERSATIONS, headers=as_user(services, "ana"))).json()
    assert page["total"] == 2 and page["limit"] == 20 and page["offset"] == 0
    assert [(c["id"], c["answers"]) for c in page["items"]] == [
        (other["conversation_id"], 1), (first["conversation_id"], 2)]
    assert page["items"][1]["title"] == "Who was fastest?"

    stored = (await services.analysis.get(f"{CONVERSATIONS}/{first['conversation_id']}",
                                          headers=as_user(services, "ana"))).json()
    assert [a["answer_id"] for a in stored["answers"]] == [first["answer_id"],
                                                           follow["answer_id"]]
    assert stored["answers"][1] == follow  # text, answerer and reason, tool calls with links
    assert stored["answers"][1]["tool_calls"][1]["link"].endswith("/compare?a=NOR&la=fastest"
                                                                  "&b=PIA&lb=fastest")


async def test_other_users_see_404_and_change_nothing(services: Services) -> None:
    mine = await ask(services, "ana", "Who was fastest?", context=HUNGARY)
    path = f"{CONVERSATIONS}/{mine['conversation_id']}"
    bob = as_user(services, "bob")
    for response in (await services.analysis.get(path, headers=bob),
                     await services.analysis.delete(path, headers=bob),
                     await services.analysis.post(ASK, headers=bob, json={
                         "question": "and now?", "conversation_id": mine["conversation_id"]})):
        assert response.status_code == 404, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["type"].endswith("/conversation-not-found")
    assert (await services.analysis.get(CONVERSATIONS, headers=bob)).json()["total"] == 0
    assert (await services.analysis.delete(f"{CONVERSATIONS}/mine", headers=bob)).json() == {
        "deleted": 0}
    kept = (await services.analysis.get(path, headers=as_user(services, "ana"))).json()
    assert len(kept["answers"]) == 1


async def test_delete_one_and_delete_all_mine(services: Services) -> None:
    a = await ask(services, "ana", "Who was fastest?", context=HUNGARY)
    b = await ask(services, "ana", "What can you do?")
    await ask(services, "bob", "What can you do?")
    ana = as_user(services, "ana")
    gone = await services.analysis.delete(f"{CONVERSATIONS}/{a['conversation_id']}",
                                          headers=ana)
    assert gone.status_code == 204
    again = await services.analysis.get(f"{CONVERSATIONS}/{a['conversation_id']}", headers=ana)
    assert again.status_code == 404
    wiped = await services.analysis.delete(f"{CONVERSATIONS}/mine", headers=ana)
    assert wiped.json() == {"deleted": 1}
    assert (await services.analysis.get(CONVERSATIONS, headers=ana)).json()["items"] == []
    assert (await services.analysis.get(f"{CONVERSATIONS}/{b['conversation_id']}",
                                        headers=ana)).status_code == 404
    assert (await services.analysis.get(CONVERSATIONS, headers=as_user(services, "bob"))
            ).json()["total"] == 1


async def test_retention_keeps_the_newest_conversations_and_answers(services: Services) -> None:
    first = await ask(services, "ana", "What can you do? 1")
    for n in (2, 3):
        await ask(services, "ana", f"What can you do? {n}",
                  conversation_id=first["conversation_id"])
    kept = (await services.analysis.get(f"{CONVERSATIONS}/{first['conversation_id']}",
                                        headers=as_user(services, "ana"))).json()
    assert [a["question"] for a in kept["answers"]] == ["What can you do? 2",
                                                        "What can you do? 3"]
    for n in range(3):
        await ask(services, "ana", f"Another {n}")
    page = (await services.analysis.get(CONVERSATIONS, headers=as_user(services, "ana"))).json()
    assert page["total"] == 3
    assert [c["title"] for c in page["items"]] == ["Another 2", "Another 1", "Another 0"]


@pytest.mark.parametrize("body", [
    {"question": ""}, {"question": "x" * 501}, {},
    {"question": "Who?", "context": {"year": 2024, "event": "../x", "session": "Q"}},
    {"question": "Who?", "context": {"year": 1950, "event": "Hungary", "session": "Q"}},
    {"question": "Who?", "conversation_id": ""},
])
async def test_bad_questions_are_422_problems_and_store_nothing(services: Services,
                                                                body: dict[str, Any]) -> None:
    response = await services.analysis.post(ASK, headers=as_user(services, "ana"), json=body)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    page = (await services.analysis.get(CONVERSATIONS, headers=as_user(services, "ana"))).json()
    assert page["total"] == 0


async def test_conversations_need_a_token(services: Services) -> None:
    response = await services.analysis.get(CONVERSATIONS, headers={"Authorization": ""})
    assert response.status_code == 401
