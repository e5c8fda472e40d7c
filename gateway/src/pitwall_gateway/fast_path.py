"""Sends proxied paths straight to their endpoint, past the framework's router.

It sits inside the request-id/metrics, CORS and security-header middleware and renders its
own problems, so a proxied request gets the same edges as any other while skipping the
route table walk and the exception middleware (a measurable share of the 1 ms budget).
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pitwall_gateway.proxy import ProxyEndpoint
from pitwall_shared.problems import ProblemError, problem_response


class ProxyFastPath:
    def __init__(
        self, app: ASGIApp, endpoints: Sequence[ProxyEndpoint], exact: dict[str, ProxyEndpoint]
    ) -> None:
        self.app = app
        self._prefixes = [(e.rule.prefix, e.rule.prefix + "/", e) for e in endpoints]
        self._exact = exact

    def _match(self, path: str) -> ProxyEndpoint | None:
        endpoint = self._exact.get(path)
        if endpoint is not None:
            return endpoint
        for prefix, prefix_slash, candidate in self._prefixes:
            if path.startswith(prefix_slash) or path == prefix:
                return candidate
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = self._match(scope["path"]) if scope["type"] == "http" else None
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await endpoint(scope, receive, tracking_send)
        except ProblemError as exc:
            if started:  # the status line is out; only the connection can still be cut
                raise
            response = problem_response(
                exc.status,
                exc.detail,
                instance=scope["path"],
                slug=exc.slug,
                title=exc.title,
                headers=exc.headers,
                **exc.extra,
            )
            await response(scope, receive, send)
