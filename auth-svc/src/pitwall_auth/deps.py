"""``Annotated`` dependency aliases used by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
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

# Declared only so the OpenAPI document carries the password flow and Swagger's Authorize
# button sends the header; the shared ``CurrentIdentity`` does the verifying.
_swagger_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def _identity(
    identity: CurrentIdentity, _token: Annotated[str | None, Depends(_swagger_scheme)]
) -> Identity:
    return identity


UserIdentity = Annotated[Identity, Depends(_identity)]


async def _admin(identity: UserIdentity) -> Identity:
    if not identity.is_admin:
        raise ProblemError(403, "This route is for administrators only.", slug="forbidden")
    return identity


AdminIdentity = Annotated[Identity, Depends(_admin)]
