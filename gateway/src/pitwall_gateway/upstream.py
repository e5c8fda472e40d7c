"""One pooled connection set and one circuit breaker per upstream service.

The proxy path talks aiohttp directly: on loopback a raw ``aiohttp.ClientSession`` costs about
half of what httpx over the aiohttp transport adds per hop, and the gateway's latency budget is
1 ms. Control-plane calls (JWKS, OpenAPI, readiness) use the shared httpx client instead.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import aiohttp
from aiohttp import hdrs
from purgatory import AsyncCircuitBreakerFactory
from purgatory.domain.model import OpenedState
from purgatory.service._async.circuitbreaker import AsyncCircuitBreaker

from pitwall_gateway.upstream_metrics import UPSTREAM_ERRORS
from pitwall_shared.problems import ProblemError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class PassThroughRequest(aiohttp.ClientRequest):
    """A request to which aiohttp adds no Accept-Encoding or User-Agent of its own: the
    caller's pass through, or none. What ``skip_auto_headers`` does, without the header
    multidicts it builds and copies for every request (about 1.3 us each here)."""

    def update_auto_headers(self, skip_auto_headers: Iterable[str] | None) -> None:
        if hdrs.ACCEPT not in self.headers:
            self.headers[hdrs.ACCEPT] = "*/*"


def create_session(max_connections: int = 200) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=max_connections, keepalive_timeout=30)
    session = aiohttp.ClientSession(
        connector=connector,
        request_class=PassThroughRequest,
        auto_decompress=False,
        cookie_jar=aiohttp.DummyCookieJar(),
    )
    # aiohttp silently re-sends an idempotent request once when a connection drops; the
    # gateway's own retry policy (GATEWAY_CONNECT_RETRIES, safe methods only) governs instead.
    session._retry_connection = False
    return session


def unavailable(name: str, detail: str, retry_after: int = 2) -> ProblemError:
    return ProblemError(
        503,
        detail,
        slug="upstream-unavailable",
        headers={"Retry-After": str(retry_after)},
        upstream=name,
    )


@dataclass
class Upstream:
    name: str
    base_url: str
    session: aiohttp.ClientSession
    breakers: AsyncCircuitBreakerFactory
    connect_timeout: float
    retries: int
    # The factory's lookup (a unit of work, a repository read, a new wrapper) cost ~10 us a
    # call; the breaker's state lives in the context object, which the in-memory repository
    # keeps, so one wrapper serves every call.
    _breaker: AsyncCircuitBreaker | None = field(default=None, repr=False)
    _timeouts: dict[float, aiohttp.ClientTimeout] = field(default_factory=dict, repr=False)

    async def breaker(self) -> AsyncCircuitBreaker:
        if self._breaker is None:
            self._breaker = await self.breakers.get_breaker(self.name)
        return self._breaker

    async def open(
        self,
        method: str,
        target: str,
        headers: Mapping[str, str] | list[tuple[str, str]],
        body: bytes | None,
        *,
        read_timeout: float,
    ) -> aiohttp.ClientResponse:
        """Send the request and return the response with its body still unread.

        Connection failures are retried for safe methods only: a POST whose connection broke
        may already have been acted on.
        """
        attempts = 1 + (self.retries if method in SAFE_METHODS else 0)
        timeout = self._timeouts.get(read_timeout)
        if timeout is None:
            timeout = self._timeouts[read_timeout] = aiohttp.ClientTimeout(
                total=None, sock_connect=self.connect_timeout, sock_read=read_timeout
            )
        url = self.base_url + target
        for attempt in range(1, attempts + 1):
            try:
                breaker = await self.breaker()
                async with breaker:
                    response = await self.session.request(
                        method,
                        url,
                        headers=headers,
                        data=body,
                        allow_redirects=False,
                        timeout=timeout,
                    )
                if response.status >= 500:
                    UPSTREAM_ERRORS.labels(self.name, "5xx").inc()
                return response
            except OpenedState as exc:
                retry_after = max(1, math.ceil(exc.opened_at + self._reset_seconds - time.time()))
                UPSTREAM_ERRORS.labels(self.name, "circuit_open").inc()
                raise unavailable(
                    self.name,
                    f"The {self.name} service is failing; calls are paused for a moment.",
                    retry_after,
                ) from None
            except aiohttp.ConnectionTimeoutError as exc:
                UPSTREAM_ERRORS.labels(self.name, "connect_timeout").inc()
                if attempt == attempts:
                    raise unavailable(
                        self.name, f"The {self.name} service cannot be reached."
                    ) from exc
            except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
                UPSTREAM_ERRORS.labels(self.name, "timeout").inc()
                raise ProblemError(
                    504,
                    f"The {self.name} service did not answer in time.",
                    slug="upstream-timeout",
                    upstream=self.name,
                ) from exc
            except aiohttp.ClientConnectionError as exc:
                UPSTREAM_ERRORS.labels(self.name, "connect").inc()
                if attempt == attempts:
                    raise unavailable(
                        self.name, f"The {self.name} service is unavailable."
                    ) from exc
        raise AssertionError("unreachable: the last attempt returns or raises")

    @property
    def _reset_seconds(self) -> float:
        return float(self.breakers.default_ttl)

    async def breaker_state(self) -> str:
        return (await self.breaker()).context.state
