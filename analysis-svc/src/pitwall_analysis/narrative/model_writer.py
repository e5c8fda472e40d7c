"""Asks an OpenAI-compatible model for insights, with a timeout and bounded retries."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import openai
from pydantic import ValidationError

from pitwall_analysis import metrics
from pitwall_analysis.narrative.prompt import ModelAnswer, messages

log = logging.getLogger("pitwall.analysis.model")

MAX_BACKOFF_S = 8.0
RETRYABLE = (openai.RateLimitError, openai.InternalServerError, openai.APIConnectionError)


class ModelUnavailableError(Exception):
    """The model could not give a usable answer; the caller falls back to the writer."""

    def __init__(self, message: str, outcome: str = "failed") -> None:
        super().__init__(message)
        self.outcome = outcome  # the metrics label: timeout, rate_limited, http_error...


class ModelWriter:
    def __init__(self, client: openai.AsyncOpenAI, model: str, *, timeout_s: float,
                 retries: int, backoff_s: float, deadline_s: float = 40.0) -> None:
        self.client = client
        self.model = model
        self.timeout_s = timeout_s
        self.retries = retries
        self.backoff_s = backoff_s
        # All attempts together stay under this, so the caller (and the gateway's 60 s)
        # still gets the deterministic narrative in time.
        self.deadline_s = deadline_s

    def _delay(self, attempt: int, error: Exception) -> float:
        delay = self.backoff_s * 2**attempt
        response = getattr(error, "response", None)
        retry_after = response.headers.get("retry-after") if response is not None else None
        if retry_after:
            with contextlib.suppress(ValueError):
                delay = max(delay, float(retry_after))
        return min(delay, MAX_BACKOFF_S)

    async def _complete(self, kind: str, session: dict[str, Any], facts: dict[str, Any]) -> str:
        started = time.monotonic()
        for attempt in range(self.retries + 1):
            try:
                completion = await self.client.chat.completions.create(
                    model=self.model,
                    messages=messages(kind, session, facts),
                    response_format={"type": "json_object"},
                    temperature=0.2,
                    timeout=self.timeout_s,
                )
                return completion.choices[0].message.content or ""
            except RETRYABLE as error:
                # APITimeoutError is an APIConnectionError: timeouts are retried too.
                delay = self._delay(attempt, error)
                elapsed = time.monotonic() - started
                if attempt == self.retries or elapsed + delay + self.timeout_s > self.deadline_s:
                    raise ModelUnavailableError(*classify_error(error)) from error
                log.warning("model call failed (%s); retry %d in %.2fs",
                            classify_error(error)[0], attempt + 1, delay)
                await asyncio.sleep(delay)
            except openai.OpenAIError as error:
                raise ModelUnavailableError(*classify_error(error)) from error
        raise ModelUnavailableError("no attempt was made")  # retries < 0 is a config error

    async def write(self, kind: str, session: dict[str, Any], facts: dict[str, Any]) -> ModelAnswer:
        started = time.monotonic()
        outcome = "ok"
        try:
            return await self._answer(kind, session, facts)
        except ModelUnavailableError as error:
            outcome = error.outcome
            raise
        finally:
            metrics.MODEL_CALLS.labels(outcome).inc()
            metrics.MODEL_CALL_DURATION.labels(outcome).observe(time.monotonic() - started)

    async def _answer(self, kind: str, session: dict[str, Any],
                      facts: dict[str, Any]) -> ModelAnswer:
        content = _without_code_fence(await self._complete(kind, session, facts))
        try:
            return ModelAnswer.model_validate_json(content)
        except ValidationError as error:
            raise ModelUnavailableError(
                f"the model's answer was not the requested JSON ({error.error_count()} errors)",
                "invalid_answer",
            ) from error


def _without_code_fence(content: str) -> str:
    """Some OpenAI-compatible servers wrap JSON in a Markdown fence despite json_object."""
    text = content.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text


def classify_error(error: Exception) -> tuple[str, str]:
    """(what the fallback reason says, the metrics outcome label) of a failed call."""
    if isinstance(error, openai.APITimeoutError):
        return "the model timed out", "timeout"
    if isinstance(error, openai.RateLimitError):
        return "the model's rate limit was hit", "rate_limited"
    if isinstance(error, openai.APIStatusError):
        return f"the model answered HTTP {error.status_code}", "http_error"
    if isinstance(error, openai.APIConnectionError):
        return "the model could not be reached", "unreachable"
    return f"the model call failed ({type(error).__name__})", "failed"
