"""The long-lived objects the service builds in ``lifespan`` and keeps on ``app.state``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import httpx

from pitwall_auth.client_address import Network, parse_networks
from pitwall_auth.config import Settings
from pitwall_auth.keys import KeyRing, ensure_keys
from pitwall_auth.passwords import PasswordService
from pitwall_auth.services.issuing import AccessTokenIssuer, KeyRingKeyStore
from pitwall_auth.services.sessions import TokenLifetimes
from pitwall_auth.services.throttle import ThrottlePolicy
from pitwall_shared.http import ServiceClient, create_pooled_client
from pitwall_shared.revocations import RevocationAnnouncer
from pitwall_shared.tokens import TokenVerifier


@dataclass
class AuthRuntime:
    settings: Settings
    passwords: PasswordService
    keys: KeyRing
    issuer: AccessTokenIssuer
    lifetimes: TokenLifetimes
    throttle: ThrottlePolicy
    trusted_proxies: tuple[Network, ...]
    service_clients: dict[str, str]
    report_http: httpx.AsyncClient
    reports: ServiceClient
    analysis_http: httpx.AsyncClient
    analysis: ServiceClient
    revocations: RevocationAnnouncer

    async def aclose(self) -> None:
        self.passwords.close()
        await self.report_http.aclose()
        await self.analysis_http.aclose()
        await self.revocations.close()


def build_runtime(settings: Settings) -> tuple[AuthRuntime, TokenVerifier]:
    keys_dir = settings.resolved_keys_dir
    ensure_keys(keys_dir, environment=settings.environment)
    ring = KeyRing(keys_dir, rescan_seconds=settings.key_rescan_seconds)
    ring.load()
    report_http = create_pooled_client(settings.report_url, timeout=settings.report_timeout_seconds)
    analysis_http = create_pooled_client(settings.analysis_url,
                                         timeout=settings.report_timeout_seconds)
    runtime = AuthRuntime(
        settings=settings,
        passwords=PasswordService.from_settings(settings),
        keys=ring,
        issuer=AccessTokenIssuer(ring, issuer=settings.jwt_issuer, audience=settings.jwt_audience),
        lifetimes=TokenLifetimes(
            access=timedelta(minutes=settings.access_token_minutes),
            refresh=timedelta(days=settings.refresh_token_days),
            service=timedelta(minutes=settings.service_token_minutes),
        ),
        throttle=ThrottlePolicy.from_settings(settings),
        trusted_proxies=parse_networks(settings.trusted_proxy_list),
        service_clients=settings.service_client_secrets(),
        report_http=report_http,
        reports=ServiceClient("report", report_http),
        analysis_http=analysis_http,
        analysis=ServiceClient("analysis", analysis_http),
        revocations=RevocationAnnouncer(
            settings.redis_url, keep_seconds=settings.access_token_minutes * 60 + 60),
    )
    verifier = TokenVerifier(
        KeyRingKeyStore(ring), issuer=settings.jwt_issuer, audience=settings.jwt_audience
    )
    return runtime, verifier
