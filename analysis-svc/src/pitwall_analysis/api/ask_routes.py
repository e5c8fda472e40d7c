"""Ask Pitwall: a question answered from the catalog's tools, as one answer or as events."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import StreamingResponse

from pitwall_analysis.api.deps import ToolContextDep as ContextDep
from pitwall_analysis.api.stream import sse_event
from pitwall_analysis.ask.service import AskService
from pitwall_analysis.ask.toolbox import ignore_events
from pitwall_shared.auth_dependency import ActingIdentity
from pitwall_shared.contracts.ask import AskAnswer, AskRequest
from pitwall_shared.problems import ProblemError, problem_body

log = logging.getLogger("pitwall.analysis.ask")
router = APIRouter(prefix="/api/v1/analysis", tags=["ask"])


def _service(request: Request) -> AskService:
    service: AskService = request.app.state.ask
    return service


AskDep = Annotated[AskService, Depends(_service)]


@router.post("/ask", response_model=AskAnswer,
             summary="Answer a question from Pitwall's tools (model or rule-based)")
async def ask(body: AskRequest, service: AskDep, ctx: ContextDep,
              identity: ActingIdentity) -> AskAnswer:
    return await service.ask(body, ctx, identity.user_id, ignore_events)


@router.post(
    "/ask/stream", response_class=StreamingResponse,
    summary="The same answer as server-sent events",
    responses={200: {"content": {"text/event-stream": {}},
                     "description": "events: tool_call, tool_result, partial, then answer "
                     "(last); error (problem JSON) instead of answer on failure"}},
)
async def ask_stream(request: Request, body: AskRequest, service: AskDep, ctx: ContextDep,
                     identity: ActingIdentity) -> StreamingResponse:
    # Checked before the stream opens, so another user's conversation is a plain 404.
    await service.check_conversation(body, identity.user_id)
    queue: asyncio.Queue[bytes | None] = asyncio.Queue()

    async def emit(name: str, data: Any) -> None:
        await queue.put(sse_event(name, data))

    async def run() -> None:
        try:
            answer = await service.ask(body, ctx, identity.user_id, emit)
            await emit("answer", answer.model_dump(mode="json"))
        except ProblemError as error:
            await emit("error", problem_body(error.status, error.detail,
                                             instance=request.url.path, slug=error.slug))
        except Exception:  # the stream is open: report in-band, never a trace
            log.exception("ask stream failed")
            await emit("error", problem_body(503, "The answer could not be completed.",
                                             instance=request.url.path,
                                             slug="answer-unavailable"))
        finally:
            await queue.put(None)

    async def events() -> AsyncIterator[bytes]:
        task = asyncio.create_task(run())
        try:
            while (chunk := await queue.get()) is not None:
                yield chunk
        finally:
            if not task.done():  # the client went away
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
