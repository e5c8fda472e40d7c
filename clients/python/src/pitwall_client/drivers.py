"""Run :mod:`pitwall_client.flows` steps: blocking with httpx.Client, or with asyncio."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any, TypeVar

import httpx

from pitwall_client.errors import TransportError
from pitwall_client.flows import Exclusive, Flow, Send, Sleep

T = TypeVar("T")


def _request(http: httpx.Client | httpx.AsyncClient, step: Send) -> httpx.Request:
    params = {k: v for k, v in (step.params or {}).items() if v is not None}
    return http.build_request(step.method, step.path, params=params, json=step.json,
                              headers=dict(step.headers or {}))


class SyncDriver:
    def __init__(self, http: httpx.Client):
        self.http = http
        self._lock = threading.RLock()

    def run(self, flow: Flow[T]) -> T:
        value: Any = None
        try:
            while True:
                step = flow.send(value)
                if isinstance(step, Send):
                    try:
                        value = self.http.send(_request(self.http, step))
                    except httpx.TransportError as error:
                        raise TransportError(f"{step.method} {step.path}: {error!r}") from error
                elif isinstance(step, Sleep):
                    time.sleep(step.seconds)
                    value = None
                elif isinstance(step, Exclusive):
                    with self._lock:
                        value = self.run(step.flow)
        except StopIteration as done:
            return done.value


class AsyncDriver:
    def __init__(self, http: httpx.AsyncClient):
        self.http = http
        self._lock = asyncio.Lock()

    async def run(self, flow: Flow[T]) -> T:
        value: Any = None
        try:
            while True:
                step = flow.send(value)
                if isinstance(step, Send):
                    try:
                        value = await self.http.send(_request(self.http, step))
                    except httpx.TransportError as error:
                        raise TransportError(f"{step.method} {step.path}: {error!r}") from error
                elif isinstance(step, Sleep):
                    await asyncio.sleep(step.seconds)
                    value = None
                elif isinstance(step, Exclusive):
                    async with self._lock:
                        value = await self.run(step.flow)
        except StopIteration as done:
            return done.value
