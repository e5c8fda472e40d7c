"""Ask Pitwall: questions answered from Pitwall's own tools, the conversations kept per
user, and the tools themselves (the ones the answerers and the MCP server call)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from pitwall_client.calls import get, joined, read_json, reading
from pitwall_client.endpoint import endpoint
from pitwall_client.flows import Call

ASK = "/api/v1/analysis/ask"
CONVERSATION = "/api/v1/analysis/conversations/{conversation_id}"


@dataclass
class Answer:
    """One answer: its text, which answerer wrote it and why, and the tool calls it rests on
    (each with ``name``, ``arguments``, ``summary``, ``link`` for the web app, ``chart_url``)."""

    question: str
    text: str
    answerer: str  # "model" (grounded in the tool results) or "rules"
    answerer_reason: str
    conversation_id: str
    answer_id: str
    tool_calls: list[dict[str, Any]]
    dropped_claims: list[str]  # model sentences whose numbers no tool result holds
    raw: dict[str, Any] = field(repr=False)


def answer_from(body: dict[str, Any]) -> Answer:
    return Answer(question=body["question"], text=body["text"], answerer=body["answerer"],
                  answerer_reason=body["answerer_reason"],
                  conversation_id=body["conversation_id"], answer_id=body["answer_id"],
                  tool_calls=list(body["tool_calls"]),
                  dropped_claims=list(body["dropped_claims"]), raw=body)


@reading("question", "text", "answerer", "answerer_reason", "conversation_id", "answer_id",
         "tool_calls", "dropped_claims")
def read_answer(response: httpx.Response) -> Answer:
    return answer_from(response.json())


@reading("id", "title", "answers")
def read_conversation(response: httpx.Response) -> dict[str, Any]:
    body = dict(response.json())
    return body | {"answers": [answer_from(answer) for answer in body["answers"]]}


@reading("tools")
def read_tools(response: httpx.Response) -> list[dict[str, Any]]:
    return list(response.json()["tools"])


def ask_body(question: str, year: int | None, event: str | None, session: str | None,
             drivers: str | Iterable[str] | None, laps: Iterable[int | str] | None,
             conversation_id: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"question": question, "conversation_id": conversation_id}
    named = [year is not None, event is not None, session is not None]
    if any(named) and not all(named):
        raise ValueError("a session context needs year, event and session together")
    if all(named):
        body["context"] = {"year": year, "event": event, "session": session}
        if drivers is not None:
            body["context"]["drivers"] = (joined(drivers) or "").split(",")
        if laps is not None:
            body["context"]["laps"] = [lap if lap == "fastest" else int(lap) for lap in laps]
    elif drivers is not None or laps is not None:
        raise ValueError("drivers and laps belong to a session: give year, event and session")
    return body


class AskEndpoints:
    @endpoint
    def ask(self, question: str, year: int | None = None, event: str | None = None,
            session: str | None = None, *, drivers: str | Iterable[str] | None = None,
            laps: Iterable[int | str] | None = None,
            conversation_id: str | None = None) -> Call[Answer]:
        """Ask a question, about a session when ``year``, ``event`` and ``session`` are given;
        ``conversation_id`` continues a conversation (else a new one is started)."""
        return Call("POST", ASK, read_answer, json=ask_body(
            question, year, event, session, drivers, laps, conversation_id))

    @endpoint
    def conversations(self, *, limit: int = 20, offset: int = 0) -> Call[dict[str, Any]]:
        """A page of the caller's conversations, newest first: ``items``, ``total``..."""
        return get("/api/v1/analysis/conversations", read_json, {}, limit=limit, offset=offset)

    @endpoint
    def conversation(self, conversation_id: str) -> Call[dict[str, Any]]:
        """One conversation: ``id``, ``title`` and its ``answers`` (as :class:`Answer`)."""
        return get(CONVERSATION, read_conversation, {"conversation_id": conversation_id})

    @endpoint
    def delete_conversation(self, conversation_id: str) -> Call[None]:
        return Call("DELETE", CONVERSATION, lambda r: None, {"conversation_id": conversation_id})

    @endpoint
    def tools(self) -> Call[list[dict[str, Any]]]:
        """The tools answers are built from: ``name``, ``description``, ``input_schema``."""
        return get("/api/v1/analysis/tools", read_tools, {})

    @endpoint
    def call_tool(self, name: str, arguments: Mapping[str, Any]) -> Call[dict[str, Any]]:
        """One tool's compact answer: ``content``, ``summary``, ``link``, ``chart_url``..."""
        return Call("POST", "/api/v1/analysis/tools/{name}", read_json, {"name": name},
                    json=dict(arguments))
