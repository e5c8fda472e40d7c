"""Ask Pitwall through the client against the real stack (no model configured there, so the
rule-based answerer writes): answers with their tool calls, conversations kept, listed and
deleted, the tools called directly, and bad input refused before or by the API."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from pitwall_client import AsyncPitwall, NotFound, Pitwall, ValidationFailed

Account = Any  # tests/conftest.py's Account: email, password, url
HUNGARY = (2024, "Hungary", "Q")


def test_answers_kept_as_a_conversation(make_account: Callable[[str], Account]) -> None:
    account = make_account("asker")
    with Pitwall(account.url, email=account.email, password=account.password) as pw:
        first = pw.ask("Who was fastest?", *HUNGARY)
        assert first.answerer == "rules" and "no model is configured" in first.answerer_reason
        fastest = pw.laps(*HUNGARY)["LapTime"].min()
        assert fastest == pd.Timedelta(seconds=75.227)
        assert first.text.startswith("NOR set the fastest lap: 75.227 s")
        assert [call["name"] for call in first.tool_calls] == ["session_info", "fastest_laps"]
        assert all(call["ok"] for call in first.tool_calls)

        second = pw.ask("Compare NOR and PIA", *HUNGARY, drivers=["NOR", "PIA"],
                        conversation_id=first.conversation_id)
        assert second.conversation_id == first.conversation_id
        assert "compare_laps" in [call["name"] for call in second.tool_calls]

        page = pw.conversations()
        assert page["total"] == 1 and page["items"][0]["answers"] == 2
        kept = pw.conversation(first.conversation_id)
        assert [answer.question for answer in kept["answers"]] == [
            "Who was fastest?", "Compare NOR and PIA"]
        assert kept["answers"][1].text == second.text

        pw.delete_conversation(first.conversation_id)
        with pytest.raises(NotFound):
            pw.conversation(first.conversation_id)
        assert pw.conversations()["total"] == 0


def test_tools_listed_and_called(pitwall: Pitwall) -> None:
    names = [tool["name"] for tool in pitwall.tools()]
    assert {"schedule", "session_info", "laps", "compare_laps", "chart"} <= set(names)
    year, event, session = HUNGARY
    info = pitwall.call_tool("session_info", {"year": year, "event": event,
                                              "session": session})
    assert {"NOR", "PIA"} <= {driver["driver"] for driver in info["content"]["drivers"]}
    assert info["link"] == "/sessions/2024/Hungary/Q"
    with pytest.raises(NotFound) as unknown:
        pitwall.call_tool("no_such_tool", {})
    assert "no_such_tool" in str(unknown.value.detail)


def test_bad_questions_are_refused(pitwall: Pitwall) -> None:
    with pytest.raises(ValidationFailed) as empty:
        pitwall.ask("")
    assert any("question" in str(item) for item in empty.value.errors or [])
    with pytest.raises(ValueError, match="year, event and session together"):
        pitwall.ask("Who won?", 2024, "Hungary")
    with pytest.raises(NotFound):
        pitwall.ask("Who was fastest?", *HUNGARY, conversation_id="not-a-conversation")


def test_async_client_asks(account: Account) -> None:
    async def scenario() -> tuple[str, str]:
        async with AsyncPitwall(account.url, email=account.email,
                                password=account.password) as pw:
            answer = await pw.ask("Who was fastest?", *HUNGARY)
            kept = await pw.conversation(answer.conversation_id)
            await pw.delete_conversation(answer.conversation_id)
            return answer.text, kept["answers"][0].text

    text, kept_text = asyncio.run(scenario())
    assert text.startswith("NOR set the fastest lap") and kept_text == text
