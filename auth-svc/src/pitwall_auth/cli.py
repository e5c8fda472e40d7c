"""Operator commands: migrate, rotate keys, make an administrator.

Each command imports only what it uses: key rotation should not wait for the database and
migration stacks to load.
"""

from __future__ import annotations

import asyncio
import getpass
import secrets
import sys
from datetime import timedelta

from pitwall_auth.config import Settings


def run_migrations(settings: Settings) -> None:
    from pitwall_auth.migrate import migrate

    migrate(settings.resolved_database_url)
    print("auth database is at the latest migration")


def run_rotate_keys(settings: Settings) -> None:
    from pitwall_auth.keys import rotate_keys

    result = rotate_keys(
        settings.resolved_keys_dir, overlap=timedelta(minutes=settings.key_overlap_minutes)
    )
    print(f"added signing key {result.added}")
    for kid in result.retired:
        print(f"retired key {kid}")
    print(f"published keys: {', '.join(result.published)}")


def _read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Password for the new administrator: ")
    return sys.stdin.readline().rstrip("\n")


async def _create_admin(settings: Settings, email: str, read_password: bool) -> str:
    """Create a new administrator account; never touch an account that exists.

    Someone else may have registered the email first, so an existing account is promoted
    only when the operator names it with ``--promote-existing``.
    """
    from pitwall_auth.passwords import PasswordService
    from pitwall_auth.schemas import RegisterRequest
    from pitwall_auth.services import accounts
    from pitwall_shared.db import create_engine, create_session_factory, session_scope
    from pitwall_shared.problems import ProblemError

    generated = not read_password
    password = secrets.token_urlsafe(18) if generated else _read_password()
    body = RegisterRequest(email=email, password=password, display_name=email.partition("@")[0])
    passwords = PasswordService.from_settings(settings)
    engine = create_engine(settings.resolved_database_url)
    try:
        async with session_scope(create_session_factory(engine)) as session:
            await accounts.register(session, passwords, body, role="admin")
    except ProblemError as exc:
        if exc.status != 409:
            raise
        raise ProblemError(
            409,
            f"An account {email} already exists and was left unchanged. If it is yours, make "
            f"it an administrator with: create-admin --promote-existing {email}",
        ) from exc
    finally:
        passwords.close()
        await engine.dispose()
    message = f"created administrator {email}"
    return f"{message}; password (shown only now): {password}" if generated else message


async def _promote_admin(settings: Settings, email: str) -> str:
    from pitwall_auth.services import accounts
    from pitwall_shared.db import create_engine, create_session_factory, session_scope
    from pitwall_shared.problems import ProblemError

    engine = create_engine(settings.resolved_database_url)
    try:
        async with session_scope(create_session_factory(engine)) as session:
            if await accounts.make_admin(session, email) is None:
                raise ProblemError(404, f"There is no account {email} to promote.")
    finally:
        await engine.dispose()
    return f"{email} is now an administrator"


def run_create_admin(settings: Settings, email: str, read_password: bool) -> str:
    return asyncio.run(_create_admin(settings, email, read_password))


def run_promote_admin(settings: Settings, email: str) -> str:
    return asyncio.run(_promote_admin(settings, email))
