"""A real OpenAI-compatible HTTP server on 127.0.0.1 whose answers each test scripts
(imported only from tests: analysis-svc's, and report-svc's for jobs that reach the model).

It stands in for the model provider only (not under test); the client under test is the
real ``openai.AsyncOpenAI`` talking HTTP to it.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Reply:
    content: str | None = None
    status: int = 200
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


def completion(content: str, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
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
        return web.json_response(completion(reply.content or "", body.get("model", "")))

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
