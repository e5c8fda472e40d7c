"""Answers a question: the model with tools when it can, grounded; else the rule-based
answerer. Stores the answer in the user's conversation and says who wrote it and why."""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitwall_analysis.ask import rules
from pitwall_analysis.ask.model_answerer import ModelAnswerer
from pitwall_analysis.ask.toolbox import Emit, ToolBox
from pitwall_analysis.narrative.grounding import ground
from pitwall_analysis.narrative.model_writer import ModelUnavailableError
from pitwall_analysis.services import conversations
from pitwall_analysis.services.conversations import Retention
from pitwall_analysis.tools.base import ToolContext
from pitwall_shared.contracts.analysis import Insight
from pitwall_shared.contracts.ask import Answerer as AnswererName
from pitwall_shared.contracts.ask import AskAnswer, AskRequest, ToolCallRecord
from pitwall_shared.orm_types import utcnow
from pitwall_shared.problems import ProblemError

log = logging.getLogger("pitwall.analysis.ask")

NO_MODEL = "no model is configured (OPENAI_API_KEY)"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def grounded_text(text: str, box: ToolBox, request: AskRequest) -> tuple[str, list[str]]:
    """The model's sentences whose every number matches a tool result (the narrative's
    grounding rule), and the dropped rest with their unmatched figures."""
    claims = [Insight(text=s, figures=[], fact_refs=[]) for s in sentences(text)]
    sources: list[Any] = [r.content for r in box.results]
    sources += [r.numbers for r in box.results if r.numbers]
    if request.context is not None:
        sources.append(request.context.model_dump(mode="json"))
    kept, dropped = ground(claims, *sources)
    return " ".join(claim.text for claim in kept), dropped


@dataclass
class Draft:
    """An answer in the making: ``text`` None means the model's answer does not stand."""

    text: str | None
    reason: str
    dropped: list[str] = field(default_factory=list)
    calls: list[ToolCallRecord] = field(default_factory=list)


def _fingerprint(text: str) -> str:
    return f"{len(text)} chars, sha256 {hashlib.sha256(text.encode()).hexdigest()[:12]}"


class AskService:
    def __init__(self, model: ModelAnswerer | None,
                 sessions: async_sessionmaker[AsyncSession], retention: Retention, *,
                 log_text: bool = False) -> None:
        self.model = model
        self.sessions = sessions
        self.retention = retention
        self.log_text = log_text

    async def check_conversation(self, request: AskRequest, user_id: str) -> None:
        """A conversation named in the request must be the caller's (404 before any work)."""
        if request.conversation_id is not None:
            async with self.sessions() as db:
                await conversations.require_owned(db, request.conversation_id, user_id)

    async def _by_model(self, request: AskRequest, ctx: ToolContext, emit: Emit,
                        user_id: str) -> Draft:
        if self.model is None:
            return Draft(None, NO_MODEL)
        box = ToolBox(ctx, emit)
        try:
            raw = await self.model.answer(request.question, request.context, box, user_id)
        except ModelUnavailableError as error:
            log.warning("ask falls back to the rule-based answerer: %s", error)
            return Draft(None, str(error))
        text, dropped = grounded_text(raw, box, request)
        log.info("ask model answer: %d tool calls, %.3f s in tools, %d sentences dropped",
                 len(box.calls), box.tool_seconds, len(dropped))
        if not text:
            return Draft(None, "no sentence of the model's answer matched the tool results",
                         dropped)
        reason = (f"the model answered from {len(box.results)} tool results; every number "
                  "left in the answer matches one")
        return Draft(text, reason, dropped, box.calls)

    async def ask(self, request: AskRequest, ctx: ToolContext, user_id: str,
                  emit: Emit) -> AskAnswer:
        await self.check_conversation(request, user_id)
        draft = await self._by_model(request, ctx, emit, user_id)
        answerer: AnswererName = "model"
        if draft.text is None:
            answerer, box = "rules", ToolBox(ctx, emit)
            text = await rules.answer(request.question, request.context, box)
            draft = Draft(text, f"rule-based answerer: {draft.reason}", draft.dropped,
                          box.calls)
        text = draft.text or ""
        await emit("partial", {"text": text})
        answer = AskAnswer(
            conversation_id=request.conversation_id or "", answer_id=str(uuid.uuid4()),
            question=request.question, answerer=answerer, answerer_reason=draft.reason,
            text=text, dropped_claims=draft.dropped, tool_calls=draft.calls,
            created_at=utcnow())
        try:
            async with self.sessions() as db:
                stored = await conversations.record(db, user_id, request.conversation_id,
                                                    answer, self.retention)
        except (SQLAlchemyError, OSError) as error:
            # Never an answer the user cannot find again: no storage, no answer.
            log.warning("ask answer not stored: %s", type(error).__name__)
            raise ProblemError(503, "The answer could not be stored; please ask again.",
                               slug="storage-unavailable") from error
        self._log(stored)
        return stored

    def _log(self, answer: AskAnswer) -> None:
        if self.log_text:
            log.info("ask %s by %s: question %r answer %r", answer.answer_id, answer.answerer,
                     answer.question, answer.text)
            return
        log.info("ask %s by %s: question %s; answer %s; %d tool calls", answer.answer_id,
                 answer.answerer, _fingerprint(answer.question), _fingerprint(answer.text),
                 len(answer.tool_calls))
