"""Run :mod:`pitwall_client.flows` steps: blocking with httpx.Client, or with asyncio."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from pitwall_client.errors import TransportError
from pitwall_client.flows import Exclusive, Flow, Send, Sleep, Step

T = TypeVar("T")


@dataclass(frozen=True)
class Done:
    value: Any


def advance(flow: Flow[Any], value: Any) -> Step | Done:
    """The flow's next step after receiving ``value``, or its result."""
    try:
        return flow.send(value)
    except StopIteration as finished:
        return Done(finished.value)


def _request(http: httpx.Client | httpx.AsyncClient, step: Send) -> httpx.Request:
    params = {k: v for k, v in (step.params or {}).items() if v is not None}
    return http.build_request(step.method, step.path, params=params, json=step.json,
                              headers=dict(step.headers or {}))


def _unreachable(step: Send, error: httpx.TransportError) -> TransportError:
    return TransportError(f"{step.method} {step.path}: {error!r}")


class SyncDriver:
    def __init__(self, http: httpx.Client):
        self.http = http
        self._lock = threading.RLock()

    def run(self, flow: Flow[T]) -> T:
        step = advance(flow, None)
        while not isinstance(step, Done):
            step = advance(flow, self._perform(step))
        return step.value

    def _perform(self, step: Step) -> Any:
        if isinstance(step, Sleep):
            return time.sleep(step.seconds)
        if isinstance(step, Exclusive):
            with self._lock:
                return self.run(step.flow)
        try:
            return self.http.send(_request(self.http, step))
        except httpx.TransportError as error:
            raise _unreachable(step, error) from error


class AsyncDriver:
    def __init__(self, http: httpx.AsyncClient):
        self.http = http
        self._lock = asyncio.Lock()

    async def run(self, flow: Flow[T]) -> T:
        step = advance(flow, None)
        while not isinstance(step, Done):
            step = advance(flow, await self._perform(step))
        return step.value

    async def _perform(self, step: Step) -> Any:
        if isinstance(step, Sleep):
            return await asyncio.sleep(step.seconds)
        if isinstance(step, Exclusive):
            async with self._lock:
                return await self.run(step.flow)
        try:
            return await self.http.send(_request(self.http, step))
        except httpx.TransportError as error:
            raise _unreachable(step, error) from error
