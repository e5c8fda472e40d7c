"""Pooled service-to-service HTTP client that turns upstream failures into honest problems."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
from httpx_aiohttp import AiohttpTransport

from pitwall_shared.problems import PROBLEM_MEDIA_TYPE, ProblemError
from pitwall_shared.request_context import REQUEST_ID_HEADER, current_request_id


def create_pooled_client(
    base_url: str = "",
    *,
    timeout: float = 10.0,
    connect_timeout: float = 2.0,
    max_connections: int = 100,
) -> httpx.AsyncClient:
    """One long-lived client per upstream, created in ``lifespan``.

    The aiohttp transport costs about a third of httpx's default per hop on loopback.
    """
    limits = httpx.Limits(
        max_connections=max_connections, max_keepalive_connections=max_connections
    )
    return httpx.AsyncClient(
        base_url=base_url,
        transport=AiohttpTransport(limits=limits),
        timeout=httpx.Timeout(timeout, connect=connect_timeout),
    )


class ServiceClient:
    """Calls one upstream service with the caller's identity and request id.

    Upstream 4xx problems pass through unchanged (the client's input was wrong); an upstream
    that is down or slow becomes 503/504 naming the upstream.
    """

    def __init__(self, name: str, client: httpx.AsyncClient) -> None:
        self.name = name
        self.client = client

    def _headers(self, token: str | None) -> dict[str, str]:
        headers = {REQUEST_ID_HEADER: current_request_id()}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    async def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        params: Any = None,
        json: Any = None,
        timeout: float | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        try:
            response = await self.client.request(
                method,
                path,
                params=params,
                content=orjson.dumps(json) if json is not None else None,
                headers={
                    **self._headers(token),
                    **({"Content-Type": "application/json"} if json is not None else {}),
                    **(headers or {}),
                },
                timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.ConnectTimeout as exc:
            # The aiohttp transport reports a refused connection as ConnectTimeout too:
            # either way no connection was made, so the upstream is unavailable, not slow.
            raise ProblemError(
                503,
                f"The {self.name} service is unavailable.",
                slug="upstream-unavailable",
                headers={"Retry-After": "2"},
            ) from exc
        except httpx.TimeoutException as exc:
            raise ProblemError(
                504, f"The {self.name} service did not answer in time.", slug="upstream-timeout"
            ) from exc
        except httpx.TransportError as exc:
            raise ProblemError(
                503,
                f"The {self.name} service is unavailable.",
                slug="upstream-unavailable",
                headers={"Retry-After": "2"},
            ) from exc
        if response.status_code >= 400:
            raise self._problem_from(response)
        return response

    async def get_json(self, path: str, **kwargs: Any) -> Any:
        response = await self.request("GET", path, **kwargs)
        return orjson.loads(response.content)

    async def post_json(self, path: str, body: Any, **kwargs: Any) -> Any:
        response = await self.request("POST", path, json=body, **kwargs)
        return orjson.loads(response.content) if response.content else None

    def _problem_from(self, response: httpx.Response) -> ProblemError:
        body: dict[str, Any] = {}
        if response.headers.get("content-type", "").startswith(
            (PROBLEM_MEDIA_TYPE, "application/json")
        ):
            try:
                body = orjson.loads(response.content)
            except orjson.JSONDecodeError:
                body = {}
        status = response.status_code
        detail = str(body.get("detail") or f"The {self.name} service answered {status}.")
        headers = {}
        if "retry-after" in response.headers:
            headers["Retry-After"] = response.headers["retry-after"]
        if status >= 500:
            # Our upstream's failure is a bad gateway for our caller, not our own bug.
            return ProblemError(
                503 if status == 503 else 502,
                f"The {self.name} service failed: {detail}",
                slug="upstream-error",
                headers=headers,
            )
        slug = str(body.get("type", "")).rsplit("/", 1)[-1] or None
        extra = {
            k: v
            for k, v in body.items()
            if k not in {"type", "title", "status", "detail", "instance", "request_id"}
        }
        return ProblemError(status, detail, slug=slug, headers=headers, **extra)
