"""Register, sign in (JSON and OAuth2 form), refresh and logout."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from pitwall_auth.deps import ClientAddress, RuntimeDep, SessionDep
from pitwall_auth.passwords import MAX_LENGTH, PASSWORD_RULE
from pitwall_auth.schemas import LoginRequest, LogoutRequest, RefreshRequest, RegisterRequest
from pitwall_auth.services import accounts, sessions
from pitwall_shared.contracts.user import TokenPair, UserPublic
from pitwall_shared.problems import ProblemError

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post(
    "/register",
    summary="Create an account",
    status_code=status.HTTP_201_CREATED,
    response_model=UserPublic,
    description=f"Create an account. Password rule: {PASSWORD_RULE}. "
    "409 if the email is taken, 422 for a weak password or malformed input.",
)
async def register(body: RegisterRequest, session: SessionDep, rt: RuntimeDep) -> UserPublic:
    user = await accounts.register(session, rt.passwords, body)
    return accounts.to_public(user)


async def _sign_in(
    session: SessionDep, rt: RuntimeDep, address: str, email: str, password: str
) -> TokenPair:
    user = await accounts.authenticate(
        session, rt.passwords, rt.throttle, email, password, address
    )
    return await sessions.issue_pair(session, rt.issuer, rt.lifetimes, user)


@router.post(
    "/login",
    summary="Sign in with JSON",
    response_model=TokenPair,
    description="Sign in with JSON. 401 for a wrong email or password (the same answer for "
    "both); 429 with Retry-After once an email has too many recent failures from this "
    "address (or from everywhere); 503 with Retry-After when too many password checks are "
    "already waiting.",
)
async def login(
    body: LoginRequest, session: SessionDep, rt: RuntimeDep, address: ClientAddress
) -> TokenPair:
    return await _sign_in(session, rt, address, body.email, body.password)


@router.post(
    "/token",
    summary="Sign in with the OAuth2 password flow (form)",
    response_model=TokenPair,
    description="OAuth2 password flow for the API docs' Authorize button: username is the email.",
)
async def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    rt: RuntimeDep,
    address: ClientAddress,
) -> TokenPair:
    if len(form.password) > MAX_LENGTH or len(form.username) > 254:
        raise ProblemError(422, "The username or password is too long.", slug="validation-error")
    return await _sign_in(session, rt, address, form.username, form.password)


@router.post(
    "/refresh",
    summary="Trade a refresh token for a new pair",
    response_model=TokenPair,
    description="Trade a refresh token for a new pair. The old one is spent; presenting a "
    "spent one again revokes every token of that sign-in (401 refresh-token-reused).",
)
async def refresh(body: RefreshRequest, session: SessionDep, rt: RuntimeDep) -> TokenPair:
    return await sessions.rotate(
        session, rt.issuer, rt.lifetimes, rt.revocations, body.refresh_token
    )


@router.post(
    "/logout",
    summary="Sign out: end a refresh token's sign-in",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    description="End the sign-in the refresh token belongs to: its refresh tokens stop "
    "working, and with Redis configured the gateway refuses its access tokens at once "
    "(without, they run out within their short lifetime). Unknown tokens are ignored.",
)
async def logout(
    session: SessionDep, rt: RuntimeDep, body: Annotated[LogoutRequest | None, Body()] = None
) -> Response:
    if body is not None and body.refresh_token:
        await sessions.end_sign_in(session, rt.revocations, body.refresh_token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
