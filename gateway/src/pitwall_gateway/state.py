"""Long-lived gateway resources, created in ``lifespan`` and kept on ``app.state.gateway``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

import httpx
from purgatory import AsyncCircuitBreakerFactory

from pitwall_gateway.client_address import Network, parse_networks
from pitwall_gateway.config import Settings
from pitwall_gateway.ratelimit import RateLimits
from pitwall_gateway.redirects import origins
from pitwall_gateway.routes import upstream_urls
from pitwall_gateway.upstream import Upstream, create_session
from pitwall_gateway.upstream_metrics import watch_breakers
from pitwall_shared.http import create_pooled_client
from pitwall_shared.limit_storage import create_limit_storage
from pitwall_shared.revocations import RevokedTokens
from pitwall_shared.token_memo import MemoizedVerifier
from pitwall_shared.tokens import JwksKeyStore, TokenVerifier

log = logging.getLogger("pitwall.gateway")


@dataclass
class GatewayState:
    settings: Settings
    upstreams: dict[str, Upstream]
    control: httpx.AsyncClient
    keys: JwksKeyStore
    verifier: MemoizedVerifier
    rate_limits: RateLimits
    trusted_proxies: tuple[Network, ...]
    revoked: RevokedTokens
    # Upstream origins an answer's Location may name; rewritten to relative references.
    internal_origins: frozenset[str]

    @classmethod
    async def create(cls, settings: Settings) -> GatewayState:
        # Built first: a bad limit setting should fail before any connection pool exists.
        rate_limits = RateLimits(
            create_limit_storage(settings.redis_url, settings.rate_limit_key_prefix), settings
        )
        breakers = AsyncCircuitBreakerFactory(
            default_threshold=settings.breaker_failure_threshold,
            default_ttl=settings.breaker_reset_seconds,
        )
        await breakers.initialize()
        upstreams = {
            name: Upstream(
                name=name,
                base_url=url.rstrip("/"),
                session=create_session(),
                breakers=breakers,
                connect_timeout=settings.connect_timeout_seconds,
                retries=settings.connect_retries,
            )
            for name, url in upstream_urls(settings).items()
        }
        watch_breakers(breakers, upstreams)
        control = create_pooled_client(timeout=5.0, connect_timeout=1.0)
        keys = JwksKeyStore(settings.jwks_url, control, cache_seconds=settings.jwks_cache_seconds)
        verifier = TokenVerifier(keys, issuer=settings.jwt_issuer, audience=settings.jwt_audience)
        state = cls(
            settings=settings,
            upstreams=upstreams,
            control=control,
            keys=keys,
            verifier=MemoizedVerifier(verifier, settings.token_cache_seconds),
            rate_limits=rate_limits,
            trusted_proxies=parse_networks(settings.trusted_proxy_list),
            revoked=RevokedTokens(settings.redis_url),
            internal_origins=origins(u.base_url for u in upstreams.values()),
        )
        state.revoked.start()
        await state.prefetch_keys()
        return state

    async def prefetch_keys(self) -> None:
        """Warm the JWKS cache; auth-svc may start later, so a failure here is not fatal."""
        try:
            response = await self.control.get(self.settings.jwks_url, timeout=2.0)
            response.raise_for_status()
            self.keys.load_jwks(response.json())
        except (httpx.HTTPError, ValueError):
            log.info("JWKS not reachable at start; it is fetched on the first token")

    async def close(self) -> None:
        await self.revoked.close()
        for upstream in self.upstreams.values():
            await upstream.session.close()
        await self.control.aclose()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.rate_limits.close(), timeout=2)
