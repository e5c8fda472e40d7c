"""``Annotated`` dependency aliases used by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_auth.client_address import sign_in_address
from pitwall_auth.runtime import AuthRuntime
from pitwall_shared.auth_dependency import CurrentIdentity
from pitwall_shared.db import request_session
from pitwall_shared.problems import ProblemError
from pitwall_shared.tokens import Identity

SessionDep = Annotated[AsyncSession, request_session(lambda r: r.app.state.sessions)]


def _runtime(request: Request) -> AuthRuntime:
    runtime: AuthRuntime = request.app.state.auth
    return runtime


RuntimeDep = Annotated[AuthRuntime, Depends(_runtime)]


def _client_address(request: Request, rt: RuntimeDep) -> str:
    peer = request.client.host if request.client else None
    return sign_in_address(peer, request.headers.getlist("x-forwarded-for"), rt.trusted_proxies)


ClientAddress = Annotated[str, Depends(_client_address)]

# The shared dependency also declares the password flow in the OpenAPI document.
UserIdentity = CurrentIdentity


async def _admin(identity: UserIdentity) -> Identity:
    if not identity.is_admin:
        raise ProblemError(403, "This route is for administrators only.", slug="forbidden")
    return identity


AdminIdentity = Annotated[Identity, Depends(_admin)]
