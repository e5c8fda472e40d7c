"""Accounts: register, sign in, profile, deletion, and the admin listing."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_auth.metrics import LOGINS
from pitwall_auth.models import User, utcnow
from pitwall_auth.passwords import PASSWORD_RULE, PasswordService, password_problems
from pitwall_auth.repositories import refresh_tokens as tokens_repo
from pitwall_auth.repositories import users as users_repo
from pitwall_auth.schemas import PasswordChange, ProfileUpdate, RegisterRequest, UserPage
from pitwall_auth.services import throttle
from pitwall_auth.services.throttle import ThrottlePolicy
from pitwall_shared.contracts.user import Preferences, UserPublic
from pitwall_shared.http import ServiceClient
from pitwall_shared.problems import ProblemError
from pitwall_shared.revocations import RevocationAnnouncer
from pitwall_shared.tokens import Identity, unauthorized

INVALID_CREDENTIALS = "The email or password is incorrect."


def normalise_email(email: str) -> str:
    return email.strip().lower()


def to_public(user: User) -> UserPublic:
    return UserPublic(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role="admin" if user.role == "admin" else "user",
        preferences=Preferences.model_validate(user.preferences or {}),
        created_at=user.created_at,
    )


def _check_strength(password: str, email: str, field: str = "body.new_password") -> None:
    problems = password_problems(password, email)
    if problems:
        raise ProblemError(
            422,
            f"The password is too weak: {'; '.join(problems)}.",
            slug="weak-password",
            rule=PASSWORD_RULE,
            errors=[{"location": field, "message": p} for p in problems],
        )


def _duplicate() -> ProblemError:
    return ProblemError(409, "An account with this email already exists.", slug="email-taken")


async def register(
    session: AsyncSession, passwords: PasswordService, body: RegisterRequest, role: str = "user"
) -> User:
    email = normalise_email(body.email)
    _check_strength(body.password, email, field="body.password")
    if await users_repo.get_by_email(session, email) is not None:
        raise _duplicate()
    with passwords.admission():
        password_hash = await passwords.hash(body.password)
    now = utcnow()
    user = User(
        id=str(uuid.uuid4()),
        email=email,
        display_name=body.display_name,
        password_hash=password_hash,
        role=role,
        preferences=Preferences().model_dump(),
        created_at=now,
        updated_at=now,
    )
    try:
        return await users_repo.add(session, user)
    except IntegrityError as exc:  # a concurrent registration won the race
        raise _duplicate() from exc


async def authenticate(
    session: AsyncSession,
    passwords: PasswordService,
    policy: ThrottlePolicy,
    email: str,
    password: str,
    address: str,
) -> User:
    """The user, or 401 with one message whether the email is unknown or the password wrong."""
    email = normalise_email(email)
    keys = throttle.sign_in_keys(email, address)
    with passwords.admission():
        try:
            await throttle.count_attempt(session, keys, policy, utcnow())
        except ProblemError:
            LOGINS.labels("locked").inc()
            raise
        user = await users_repo.get_by_email(session, email)
        # Counted before the slow check and committed, so parallel guesses see each other;
        # the commit also hands the connection back to the pool for the check's duration.
        await session.commit()
        # Always one argon2 verification, against a dummy hash when there is no account.
        if not await passwords.verify(user.password_hash if user else None, password):
            LOGINS.labels("invalid").inc()
            raise ProblemError(
                401,
                INVALID_CREDENTIALS,
                slug="invalid-credentials",
                headers={"WWW-Authenticate": "Bearer"},
            )
        assert user is not None
        await throttle.attempt_succeeded(session, keys, policy, utcnow())
        LOGINS.labels("success").inc()
        if passwords.needs_rehash(user.password_hash):
            new_hash = await passwords.hash(password)
            await users_repo.update_fields(session, user, password_hash=new_hash)
    return user


async def current_user(session: AsyncSession, identity: Identity) -> User:
    user = await users_repo.get_by_id(session, identity.user_id)
    if user is None:
        raise unauthorized("The account for this token no longer exists.")
    return user


async def update_profile(session: AsyncSession, user: User, body: ProfileUpdate) -> User:
    fields: dict[str, object] = {}
    if body.display_name is not None:
        fields["display_name"] = body.display_name
    if body.preferences is not None:
        merged = Preferences.model_validate(user.preferences or {}).model_dump()
        merged.update(body.preferences.model_dump(exclude_unset=True, exclude_none=True))
        if "favourite_drivers" in merged:  # keep the user's order, drop repeats
            merged["favourite_drivers"] = list(dict.fromkeys(merged["favourite_drivers"]))
        fields["preferences"] = Preferences.model_validate(merged).model_dump()
    if fields:
        fields["updated_at"] = utcnow()
        await users_repo.update_fields(session, user, **fields)
    return user


async def _confirm_password(
    session: AsyncSession,
    passwords: PasswordService,
    policy: ThrottlePolicy,
    user: User,
    password: str,
    consequence: str,
) -> None:
    """Re-check a signed-in user's password under its own limit.

    Limited so a stolen access token is no password oracle, but on the user's own key: a
    sign-in lockout someone caused elsewhere does not stop the owner here.
    """
    keys = throttle.recheck_keys(user.id)
    await throttle.count_attempt(session, keys, policy, utcnow())
    await session.commit()  # counted first; no connection held during the check
    if not await passwords.verify(user.password_hash, password):
        raise ProblemError(
            403,
            f"The current password does not match; the account was {consequence}.",
            slug="password-mismatch",
        )
    await throttle.attempt_succeeded(session, keys, policy, utcnow())
    await session.commit()  # the right password is settled whatever happens next


async def change_password(
    session: AsyncSession,
    passwords: PasswordService,
    policy: ThrottlePolicy,
    revocations: RevocationAnnouncer,
    identity: Identity,
    body: PasswordChange,
) -> None:
    """New password after re-checking the old one; every sign-in must start again: refresh
    tokens are revoked here, access tokens at the gateway once it hears of it."""
    user = await current_user(session, identity)
    _check_strength(body.new_password, user.email)
    with passwords.admission():
        await _confirm_password(
            session, passwords, policy, user, body.current_password, "not changed"
        )
        new_hash = await passwords.hash(body.new_password)
    now = utcnow()
    await users_repo.update_fields(session, user, password_hash=new_hash, updated_at=now)
    await tokens_repo.revoke_all_for_user(session, user.id, now)
    await revocations.void_tokens_of(user.id)


async def _delete_owned(service: ServiceClient, path: str, what: str, token: str) -> None:
    try:
        await service.request("DELETE", path, token=token)
    except ProblemError as exc:
        if exc.status >= 500:
            raise
        # The caller's token just passed our own check, so a refusal there is our fault.
        raise ProblemError(
            502,
            f"The {service.name} service refused to delete the {what} ({exc.status}: "
            f"{exc.detail}); the account was not deleted.",
            slug="upstream-error",
        ) from exc


async def delete_account(
    session: AsyncSession,
    passwords: PasswordService,
    policy: ThrottlePolicy,
    reports: ServiceClient,
    revocations: RevocationAnnouncer,
    identity: Identity,
    password: str,
    *,
    analysis: ServiceClient | None = None,
) -> None:
    """Reports first (through report-svc, as the user), then Ask conversations (through
    analysis-svc), then tokens and the account.

    If either service cannot be reached, ``ServiceClient`` raises 503 and the account stays.
    """
    user = await current_user(session, identity)
    with passwords.admission():
        await _confirm_password(session, passwords, policy, user, password, "not deleted")
    await _delete_owned(reports, "/api/v1/reports/mine", "reports", identity.token)
    if analysis is not None:
        await _delete_owned(analysis, "/api/v1/analysis/conversations/mine",
                            "conversations", identity.token)
    await tokens_repo.delete_for_user(session, user.id)
    await users_repo.delete_user(session, user.id)
    await revocations.void_tokens_of(user.id)


async def list_users(session: AsyncSession, *, limit: int, offset: int) -> UserPage:
    users, total = await users_repo.page(session, limit=limit, offset=offset)
    return UserPage(items=[to_public(u) for u in users], total=total, limit=limit, offset=offset)


async def make_admin(session: AsyncSession, email: str) -> User | None:
    user = await users_repo.get_by_email(session, normalise_email(email))
    if user is not None:
        await users_repo.update_fields(session, user, role="admin", updated_at=utcnow())
    return user
