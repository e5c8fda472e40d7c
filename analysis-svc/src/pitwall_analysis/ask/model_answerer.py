"""The model answers by calling catalog tools (OpenAI tool calling), within fixed bounds.

Bounds per question: at most ``max_tool_calls`` tool calls (calls past it are refused and the
model is asked to answer without tools), ``max_tokens`` prompt + completion tokens over all
rounds, and ``deadline_s`` for the whole answer including the tools' own time. Every model
round is one model call against the per-user and the deployment's hourly budgets. None of
these can be changed by anything the model reads: they live here, not in the prompt.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any

import openai

from pitwall_analysis import metrics
from pitwall_analysis.ask.prompt import system_message, tool_message, user_message
from pitwall_analysis.ask.toolbox import ToolBox
from pitwall_analysis.narrative.limits import ModelCallLimiter
from pitwall_analysis.narrative.model_writer import ModelUnavailableError, classify_error
from pitwall_analysis.tools.catalog import TOOLS
from pitwall_shared.contracts.ask import AskContext


@dataclass(frozen=True)
class AskLimits:
    max_tool_calls: int
    max_tokens: int
    answer_max_tokens: int
    deadline_s: float
    call_timeout_s: float


def tool_specs() -> list[dict[str, Any]]:
    return [{"type": "function",
             "function": {"name": spec.name, "description": spec.description,
                          "parameters": spec.input_model.model_json_schema()}}
            for spec in TOOLS.values()]


def _arguments(raw: str | None) -> dict[str, Any] | None:
    try:
        parsed = json.loads(raw or "{}")
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


class ModelAnswerer:
    def __init__(self, client: openai.AsyncOpenAI, model: str, limits: AskLimits,
                 limiter: ModelCallLimiter) -> None:
        self.client = client
        self.model = model
        self.limits = limits
        self.limiter = limiter

    async def answer(self, question: str, context: AskContext | None, box: ToolBox,
                     user_id: str) -> str:
        """The model's final text (not yet grounded); ModelUnavailableError says why not."""
        try:
            async with asyncio.timeout(self.limits.deadline_s):
                return await self._loop(question, context, box, user_id)
        except TimeoutError as error:
            raise ModelUnavailableError(
                f"the model did not answer within the {self.limits.deadline_s:g} s deadline"
            ) from error

    async def _loop(self, question: str, context: AskContext | None, box: ToolBox,
                    user_id: str) -> str:
        messages: list[dict[str, Any]] = [system_message(self.limits.max_tool_calls),
                                          user_message(question, context)]
        specs, tokens, calls_made = tool_specs(), 0, 0
        while True:
            if tokens >= self.limits.max_tokens:
                raise ModelUnavailableError(
                    f"the model used its {self.limits.max_tokens}-token cap before answering")
            refusal = await self.limiter.refusal(user_id)
            if refusal is not None:
                raise ModelUnavailableError(refusal)
            tools_allowed = calls_made < self.limits.max_tool_calls
            message, used = await self._complete(messages, specs, tools_allowed)
            tokens += used
            if not message.tool_calls:
                if not (message.content or "").strip():
                    raise ModelUnavailableError("the model answered with no text")
                return str(message.content)
            if not tools_allowed:
                raise ModelUnavailableError(
                    f"the model kept asking for tools past the limit of "
                    f"{self.limits.max_tool_calls} calls")
            messages.append(message.model_dump(exclude_none=True))
            for call in message.tool_calls:
                messages.append(await self._run(call, box, calls_made))
                calls_made += 1

    async def _complete(self, messages: list[dict[str, Any]], specs: list[dict[str, Any]],
                        tools_allowed: bool) -> tuple[Any, int]:
        started = time.monotonic()
        outcome = "ok"
        try:
            # Messages and tools are plain dicts in OpenAI's wire shape.
            completion = await self.client.chat.completions.create(  # type: ignore[call-overload]
                model=self.model, messages=messages, tools=specs,
                tool_choice="auto" if tools_allowed else "none",
                max_tokens=self.limits.answer_max_tokens, temperature=0.2,
                timeout=self.limits.call_timeout_s)
        except openai.OpenAIError as error:
            reason, outcome = classify_error(error)
            raise ModelUnavailableError(reason, outcome) from error
        finally:
            metrics.MODEL_CALLS.labels(outcome).inc()
            metrics.MODEL_CALL_DURATION.labels(outcome).observe(time.monotonic() - started)
        if not completion.choices:
            raise ModelUnavailableError("the model answered with no choices")
        used = completion.usage.total_tokens if completion.usage else 0
        return completion.choices[0].message, used

    async def _run(self, call: Any, box: ToolBox, calls_made: int) -> dict[str, str]:
        name = call.function.name
        arguments = _arguments(call.function.arguments)
        if calls_made >= self.limits.max_tool_calls:
            why = f"tool-call limit of {self.limits.max_tool_calls} reached; answer now"
            await box.refuse(name, arguments or {}, why)
            return tool_message(call.id, {"error": why})
        if arguments is None:
            why = "arguments must be a JSON object"
            await box.refuse(name, {}, why)
            return tool_message(call.id, {"error": why})
        result = await box.call(name, arguments)
        if isinstance(result, str):
            return tool_message(call.id, {"error": result})
        return tool_message(call.id, {"summary": result.summary, "content": result.content})
