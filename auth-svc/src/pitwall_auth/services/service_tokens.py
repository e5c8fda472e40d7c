"""Short-lived access tokens for other services' background work."""

from __future__ import annotations

import hmac

from pitwall_auth.services.issuing import AccessTokenIssuer
from pitwall_shared.contracts.user import ServiceTokenRequest, TokenPair
from pitwall_shared.problems import ProblemError

SERVICE_ROLE = "service"


def issue_service_token(
    clients: dict[str, str],
    issuer: AccessTokenIssuer,
    body: ServiceTokenRequest,
    ttl_seconds: int,
) -> TokenPair:
    expected = clients.get(body.client_id)
    # Compare even for an unknown client so timing does not tell which client ids exist.
    reference = expected if expected is not None else "\x00" * max(len(body.client_secret), 1)
    matches = hmac.compare_digest(reference.encode(), body.client_secret.encode())
    if expected is None or not matches:
        raise ProblemError(401, "The client id or secret is incorrect.", slug="invalid-client")
    token = issuer.issue(
        subject=f"service:{body.client_id}", role=SERVICE_ROLE, ttl_seconds=ttl_seconds
    )
    return TokenPair(access_token=token, expires_in=ttl_seconds)
