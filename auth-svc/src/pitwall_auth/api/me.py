"""The signed-in user's own account."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from pitwall_auth.deps import RuntimeDep, SessionDep, UserIdentity
from pitwall_auth.schemas import DeleteAccountRequest, PasswordChange, ProfileUpdate
from pitwall_auth.services import accounts
from pitwall_shared.contracts.user import UserPublic

router = APIRouter(prefix="/api/v1/auth", tags=["me"])


@router.get("/me", response_model=UserPublic)
async def get_me(identity: UserIdentity, session: SessionDep) -> UserPublic:
    return accounts.to_public(await accounts.current_user(session, identity))


@router.patch(
    "/me",
    response_model=UserPublic,
    description="Change the display name and preferences; only the fields sent change.",
)
async def patch_me(body: ProfileUpdate, identity: UserIdentity, session: SessionDep) -> UserPublic:
    user = await accounts.current_user(session, identity)
    return accounts.to_public(await accounts.update_profile(session, user, body))


@router.post(
    "/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    description="Change the password after re-checking the current one (403 if wrong, 422 "
    "if the new one is weak). Every refresh token of the account is revoked, and with Redis "
    "configured the gateway refuses the account's earlier access tokens at once; without it "
    "they run out within their short lifetime.",
)
async def change_password(
    body: PasswordChange, identity: UserIdentity, session: SessionDep, rt: RuntimeDep
) -> Response:
    await accounts.change_password(
        session, rt.passwords, rt.throttle, rt.revocations, identity, body
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/me",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    description="Delete the account after re-checking the password. The user's reports, then "
    "their Ask conversations, are deleted first through the report and analysis services; "
    "if one cannot be reached the answer is 503 and the account is not deleted.",
)
async def delete_me(
    body: DeleteAccountRequest, identity: UserIdentity, session: SessionDep, rt: RuntimeDep
) -> Response:
    await accounts.delete_account(
        session, rt.passwords, rt.throttle, rt.reports, rt.revocations, identity, body.password,
        analysis=rt.analysis,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
