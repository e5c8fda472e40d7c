"""FastAPI dependencies services use to require a verified caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from pitwall_shared.tokens import Identity, TokenVerifier, bearer_token


def _verifier(request: Request) -> TokenVerifier:
    verifier = getattr(request.app.state, "token_verifier", None)
    if verifier is None:  # a wiring bug, not a client error
        raise RuntimeError("app.state.token_verifier is not set; create it in lifespan")
    return verifier


async def require_identity(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
) -> Identity:
    token = bearer_token(authorization)
    identity = await _verifier(request).verify(token)
    request.state.identity = identity
    return identity


CurrentIdentity = Annotated[Identity, Depends(require_identity)]
