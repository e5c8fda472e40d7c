"""``Pitwall`` (blocking) and ``AsyncPitwall``: one set of endpoint methods, two drivers."""

from __future__ import annotations

import os
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import httpx

from pitwall_client.analysis import AnalysisEndpoints
from pitwall_client.ask import AskEndpoints
from pitwall_client.calls import read_json
from pitwall_client.drivers import AsyncDriver, SyncDriver
from pitwall_client.endpoint import AsyncRunner, BlockingRunner, endpoint
from pitwall_client.errors import Unauthorized
from pitwall_client.flows import (
    Call,
    Credentials,
    Flow,
    Operation,
    RetryPolicy,
    Steps,
    current_token,
    perform,
)
from pitwall_client.reports import ReportEndpoints
from pitwall_client.telemetry import TelemetryEndpoints

T = TypeVar("T")
DEFAULT_URL = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT_S = 120.0  # a session's first load runs FastF1 on the server


def _credentials(token: str | None, email: str | None, password: str | None,
                 refresh_token: str | None,
                 on_change: Callable[[Credentials], None] | None) -> Credentials:
    if password is not None and email is None:
        raise ValueError("a password needs an email")
    return Credentials(access_token=token, refresh_token=refresh_token, email=email,
                       password=password, on_change=on_change)


class _Base(TelemetryEndpoints, AnalysisEndpoints, ReportEndpoints, AskEndpoints):
    """Shared construction. ``token`` is an access token used as is; ``email``/``password``
    sign in and sign in again when needed; ``refresh_token`` (what ``pitwall login`` keeps)
    renews access tokens before they expire. ``on_change`` hears of every new token pair."""

    def __init__(self, base_url: str | None = None, *, token: str | None = None,
                 email: str | None = None, password: str | None = None,
                 refresh_token: str | None = None, timeout: float = DEFAULT_TIMEOUT_S,
                 retry: RetryPolicy | None = None,
                 on_change: Callable[[Credentials], None] | None = None):
        self.base_url = (base_url or os.environ.get("PITWALL_URL") or DEFAULT_URL).rstrip("/")
        self.credentials = _credentials(token, email, password, refresh_token, on_change)
        self.retry = retry or RetryPolicy()
        self.timeout = timeout

    def _flow(self, call: Call[T]) -> Flow[T]:
        return perform(call, self.credentials, self.retry)

    @endpoint
    def access_token(self) -> Steps[str | None]:
        """A fresh access token, renewed first when it is about to expire."""
        return Steps(lambda _perform: current_token(self.credentials))

    @endpoint
    def me(self) -> Call[dict[str, Any]]:
        return Call("GET", "/api/v1/auth/me", read_json)

    @endpoint
    def register(self, email: str, password: str, display_name: str) -> Call[dict[str, Any]]:
        return Call("POST", "/api/v1/auth/register", read_json, json={
            "email": email, "password": password, "display_name": display_name},
            authenticated=False)

    @endpoint
    def logout(self) -> Call[None]:
        """End this sign-in on the server (its refresh token stops working)."""
        return Call("POST", "/api/v1/auth/logout", lambda r: None,
                    json={"refresh_token": self.credentials.refresh_token})


class Pitwall(_Base, BlockingRunner):
    """The blocking client: ``Pitwall(url, email=..., password=...)`` or ``token=...``."""

    def __init__(self, base_url: str | None = None, **kwargs: Any):
        super().__init__(base_url, **kwargs)
        self.http = httpx.Client(base_url=self.base_url, timeout=self.timeout)
        self._driver = SyncDriver(self.http)

    def _execute(self, operation: Operation[T]) -> T:
        return self._driver.run(operation.flow(self._flow))

    @classmethod
    def from_login(cls, base_url: str | None = None, **kwargs: Any) -> Pitwall:
        """A client on the sign-in ``pitwall login`` stored (renewed tokens saved back)."""
        from pitwall_client import config

        stored = config.load()
        if not stored or not stored.get("refresh_token"):
            raise Unauthorized(401, {"title": "Not signed in", "detail": "Run `pitwall login`."})
        url = base_url or os.environ.get("PITWALL_URL") or stored.get("url")
        client = cls(url, refresh_token=stored["refresh_token"],
                     on_change=config.keeper(str(url), stored.get("email")), **kwargs)
        client.credentials.access_token = stored.get("access_token")
        client.credentials.expires_at = stored.get("expires_at") or 0.0
        return client

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Pitwall:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncPitwall(_Base, AsyncRunner):
    """The asyncio client: the same methods as :class:`Pitwall`, each awaited."""

    def __init__(self, base_url: str | None = None, **kwargs: Any):
        super().__init__(base_url, **kwargs)
        self.http = httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout)
        self._driver = AsyncDriver(self.http)

    def _execute(self, operation: Operation[T]) -> Coroutine[Any, Any, T]:
        return self._driver.run(operation.flow(self._flow))

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> AsyncPitwall:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
