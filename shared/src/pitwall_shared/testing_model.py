"""A real OpenAI-compatible HTTP server on 127.0.0.1 whose answers each test scripts
(imported only from tests: analysis-svc's, and report-svc's for jobs that reach the model).

It stands in for the model provider only (not under test); the client under test is the
real ``openai.AsyncOpenAI`` talking HTTP to it. A reply may carry tool calls (OpenAI's
tool-calling shape), so a test scripts a multi-step conversation: tool calls, then the
answer; every request body is recorded, so a test sees exactly what the model was sent.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

_CALL_IDS = itertools.count(1)


@dataclass
class Reply:
    content: str | None = None
    status: int = 200
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    total_tokens: int = 20


def tool_call(name: str, arguments: dict[str, Any] | str | None = None) -> dict[str, Any]:
    """One call as OpenAI sends it; a string ``arguments`` is sent as it is (bad JSON too)."""
    raw = arguments if isinstance(arguments, str) else json.dumps(arguments or {})
    return {"id": f"call_{next(_CALL_IDS)}", "type": "function",
            "function": {"name": name, "arguments": raw}}


def completion(content: str | None, model: str, tool_calls: list[dict[str, Any]] | None = None,
               total_tokens: int = 20) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = tool_calls
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "finish_reason": "tool_calls" if tool_calls else "stop",
                     "message": message}],
        "usage": {"prompt_tokens": total_tokens // 2,
                  "completion_tokens": total_tokens - total_tokens // 2,
                  "total_tokens": total_tokens},
    }


class ScriptedModelServer:
    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.requests: list[dict[str, Any]] = []
        self._runner: web.AppRunner | None = None
        self.url = ""

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    async def _chat(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append({"body": body, "auth": request.headers.get("Authorization")})
        if not self.replies:
            return web.json_response({"error": {"message": "no scripted reply"}}, status=500)
        reply = self.replies.pop(0)
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        if reply.status != 200:
            return web.json_response({"error": {"message": "scripted", "type": "test"}},
                                     status=reply.status, headers=reply.headers)
        if reply.tool_calls:
            return web.json_response(completion(reply.content, body.get("model", ""),
                                                reply.tool_calls, reply.total_tokens))
        return web.json_response(completion(reply.content or "", body.get("model", ""),
                                            total_tokens=reply.total_tokens))

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/v1"

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    @classmethod
    @asynccontextmanager
    async def running(cls) -> AsyncIterator[ScriptedModelServer]:
        server = cls()
        await server.start()
        try:
            yield server
        finally:
            await server.stop()


def answer(*insights: dict[str, Any]) -> str:
    return json.dumps({"insights": list(insights)})
