"""Ask Pitwall through the gateway with every service a real process (no model configured,
so the rule-based answerer writes): an answer with its tool calls, the event stream, the
conversation kept, another user's 404, and deleting the account taking the conversations."""

from __future__ import annotations

import json

import httpx

from scripts.stack import Stack

from .test_report_authz import PASSWORD, sign_up

ASK = "/api/v1/analysis/ask"
CONVERSATIONS = "/api/v1/analysis/conversations"
HUNGARY = {"year": 2024, "event": "Hungary", "session": "Q"}


def test_ask_keeps_conversations_that_leave_with_the_account(
    gateway: httpx.Client, stack: Stack
) -> None:
    ana, bob = sign_up(gateway, "ana"), sign_up(gateway, "bob")
    answered = gateway.post(ASK, headers=ana,
                            json={"question": "Who was fastest?", "context": HUNGARY})
    assert answered.status_code == 200, answered.text
    answer = answered.json()
    assert answer["answerer"] == "rules" and "no model is configured" in answer["answerer_reason"]
    assert answer["text"].startswith("NOR set the fastest lap: 75.227 s")
    assert [c["name"] for c in answer["tool_calls"]] == ["session_info", "fastest_laps"]

    with gateway.stream("POST", f"{ASK}/stream", headers=ana, json={
            "question": "Compare NOR and PIA", "context": HUNGARY,
            "conversation_id": answer["conversation_id"]}) as stream:
        assert stream.status_code == 200
        raw = "".join(stream.iter_text())
    events = [block.split("\n", 1) for block in raw.strip().split("\n\n")]
    names = [head.removeprefix("event: ") for head, _ in events]
    assert names == ["tool_call", "tool_result", "tool_call", "tool_result", "partial",
                     "answer"]
    last = json.loads(events[-1][1].removeprefix("data: "))
    assert last["conversation_id"] == answer["conversation_id"]

    path = f"{CONVERSATIONS}/{answer['conversation_id']}"
    kept = gateway.get(path, headers=ana).json()
    assert [a["question"] for a in kept["answers"]] == ["Who was fastest?",
                                                        "Compare NOR and PIA"]
    assert gateway.get(path, headers=bob).status_code == 404
    assert gateway.delete(path, headers=bob).status_code == 404

    # Deleting the account (auth-svc calls analysis-svc as the user) takes the conversations.
    deleted = gateway.request("DELETE", "/api/v1/auth/me", headers=ana,
                              json={"password": PASSWORD})
    assert deleted.status_code == 204, deleted.text
    # analysis-svc itself, asked with the old token (still signed, not yet expired): empty.
    with httpx.Client(base_url=stack.url("analysis"), timeout=30) as analysis:
        left = analysis.get(CONVERSATIONS, headers=ana)
    assert left.status_code == 200, left.text
    assert left.json()["total"] == 0
