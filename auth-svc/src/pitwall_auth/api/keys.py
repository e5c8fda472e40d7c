"""Public keys and service tokens: what other services need from auth-svc."""

from __future__ import annotations

from fastapi import APIRouter, Response

from pitwall_auth.deps import RuntimeDep
from pitwall_auth.schemas import Jwks
from pitwall_auth.services.service_tokens import issue_service_token
from pitwall_shared.contracts.user import ServiceTokenRequest, TokenPair
from pitwall_shared.responses import FastJSONResponse

router = APIRouter(tags=["keys"])


@router.get(
    "/.well-known/jwks.json",
    summary="Public keys that verify access tokens (JWKS)",
    response_model=Jwks,
    description="Every published verification key; the newest signs, older ones remain "
    "during a rotation's overlap.",
)
async def jwks(rt: RuntimeDep) -> Response:
    # Verifiers cache this for minutes anyway; a short shared cache spares us their bursts.
    return FastJSONResponse(rt.keys.jwks(), headers={"Cache-Control": "public, max-age=60"})


@router.post(
    "/internal/service-token",
    response_model=TokenPair,
    include_in_schema=False,  # the gateway does not route /internal/*
)
async def service_token(body: ServiceTokenRequest, rt: RuntimeDep) -> TokenPair:
    ttl = int(rt.lifetimes.service.total_seconds())
    return issue_service_token(rt.service_clients, rt.issuer, body, ttl)
