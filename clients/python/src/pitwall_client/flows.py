"""The client's logic as generators that one sync and one async driver run.

A *flow* yields steps (:class:`Send` an HTTP request, :class:`Sleep`, :class:`Exclusive`
to run a sub-flow under the client's lock) and receives each step's result; its return value
is the call's result. Signing in, refreshing tokens, retrying on 503 and waiting for a
report are written once here; :mod:`pitwall_client.drivers` only performs the steps with
``httpx.Client``/``time.sleep`` or ``httpx.AsyncClient``/``asyncio.sleep``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

import httpx

from pitwall_client.errors import Unauthorized, error_from_response

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
LOGIN_PATH = "/api/v1/auth/login"
REFRESH_PATH = "/api/v1/auth/refresh"
TOKEN_FIELDS = ("access_token", "expires_in", "refresh_token")  # what store() reads


@dataclass(frozen=True)
class Send:
    method: str
    path: str
    params: Mapping[str, Any] | None = None
    json: Any = None
    headers: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Sleep:
    seconds: float


@dataclass(frozen=True)
class Exclusive:
    """Run ``flow`` holding the client's lock (token refresh: one at a time)."""

    flow: Flow[Any]


Step = Send | Sleep | Exclusive
Flow = Generator[Step, Any, T]
Perform = Callable[["Call[Any]"], Flow[Any]]  # a call as a flow, with sign-in and retries


class Operation(Protocol[T_co]):
    """What an endpoint method describes: a flow, given how to perform each call in it."""

    def flow(self, perform: Perform) -> Generator[Step, Any, T_co]: ...


@dataclass(frozen=True)
class Call(Generic[T]):
    """One API operation: the request and how to read a successful answer.

    ``path`` is the OpenAPI path template; ``path_params`` fill it (URL-quoted).
    """

    method: str
    path: str
    parse: Callable[[httpx.Response], T]
    path_params: Mapping[str, Any] = field(default_factory=dict)
    params: Mapping[str, Any] | None = None
    json: Any = None
    authenticated: bool = True

    def flow(self, perform: Perform) -> Flow[T]:
        return perform(self)

    @property
    def idempotent(self) -> bool:
        return self.method in ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")

    def url_path(self) -> str:
        from urllib.parse import quote

        filled = self.path
        for name, value in self.path_params.items():
            filled = filled.replace("{" + name + "}", quote(str(value), safe=""))
        return filled


@dataclass(frozen=True)
class Steps(Generic[T]):
    """An operation of several calls (or none): ``build`` makes its flow."""

    build: Callable[[Perform], Flow[T]]

    def flow(self, perform: Perform) -> Flow[T]:
        return self.build(perform)


@dataclass
class RetryPolicy:
    """503s (data loading, a service restarting) are retried for idempotent calls only,
    waiting what ``Retry-After`` asks, capped so a call never hangs."""

    attempts: int = 4
    max_wait_s: float = 30.0
    default_wait_s: float = 1.0

    def wait_for(self, response: httpx.Response, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None to give up."""
        if response.status_code != 503 or attempt + 1 >= self.attempts:
            return None
        header = response.headers.get("retry-after")
        try:
            wait = float(header) if header is not None else self.default_wait_s * 2**attempt
        except ValueError:
            wait = self.default_wait_s
        return min(max(wait, 0.0), self.max_wait_s)


@dataclass
class Credentials:
    """The sign-in state: an access token with its expiry, a refresh token, or a password."""

    access_token: str | None = None
    expires_at: float | None = None  # time.time() seconds
    refresh_token: str | None = None
    email: str | None = None
    password: str | None = None
    refresh_margin_s: float = 60.0
    on_change: Callable[[Credentials], None] | None = None

    def fresh(self, now: float | None = None) -> bool:
        if not self.access_token:
            return False
        if self.expires_at is None:
            return True
        return (now if now is not None else time.time()) < self.expires_at - self.refresh_margin_s

    def store(self, pair: Mapping[str, Any]) -> None:
        self.access_token = pair["access_token"]
        self.expires_at = time.time() + float(pair.get("expires_in") or 900)
        self.refresh_token = pair.get("refresh_token") or self.refresh_token
        if self.on_change is not None:
            self.on_change(self)


def _check(response: httpx.Response) -> httpx.Response:
    if response.status_code >= 400:
        raise error_from_response(response)
    return response


def sign_in(creds: Credentials) -> Flow[None]:
    """Refresh when a refresh token is held, else log in with the password. Runs under the
    lock and re-checks freshness first, so concurrent calls refresh once (a refresh token
    presented twice would revoke the whole sign-in)."""
    if creds.fresh():
        return
    if creds.refresh_token:
        response = yield Send("POST", REFRESH_PATH,
                              json={"refresh_token": creds.refresh_token})
        if response.status_code == 200:
            creds.store(response.json())
            return
        if not creds.password:
            raise error_from_response(response)
    if creds.email and creds.password:
        response = yield Send("POST", LOGIN_PATH,
                              json={"email": creds.email, "password": creds.password})
        creds.store(_check(response).json())
        return
    if creds.access_token and creds.expires_at is None:
        return  # a bare token given by the caller: used as is until the API refuses it
    raise Unauthorized(401, {"title": "Unauthorized", "detail": "Not signed in: give a token, "
                             "email and password, or run `pitwall login`."})


def current_token(creds: Credentials) -> Flow[str | None]:
    """A fresh access token (signing in or refreshing first when needed)."""
    if not creds.fresh():
        yield Exclusive(sign_in(creds))
    return creds.access_token


def perform(call: Call[T], creds: Credentials, policy: RetryPolicy) -> Flow[T]:
    """Run one call: sign in or refresh first when needed, retry idempotent calls on 503,
    and sign in once more if the API refuses a token it considered expired."""
    renewed = False
    attempt = 0
    while True:
        headers: dict[str, str] = {}
        if call.authenticated:
            token = yield from current_token(creds)
            if token:
                headers["Authorization"] = f"Bearer {token}"
        response = yield Send(call.method, call.url_path(), call.params, call.json, headers)
        if (response.status_code == 401 and call.authenticated and not renewed
                and (creds.refresh_token or creds.password)):
            renewed = True
            creds.expires_at = 0.0  # force a renewal on the next pass
            continue
        wait = policy.wait_for(response, attempt) if call.idempotent else None
        if wait is not None:
            attempt += 1
            yield Sleep(wait)
            continue
        return call.parse(_check(response))
