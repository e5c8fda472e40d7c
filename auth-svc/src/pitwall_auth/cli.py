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
    from pitwall_auth.passwords import PasswordService
    from pitwall_auth.schemas import RegisterRequest
    from pitwall_auth.services import accounts
    from pitwall_shared.db import create_engine, create_session_factory, session_scope

    engine = create_engine(settings.resolved_database_url)
    try:
        async with session_scope(create_session_factory(engine)) as session:
            if await accounts.make_admin(session, email) is not None:
                return f"{email} is now an administrator"
            generated = not read_password
            password = secrets.token_urlsafe(18) if generated else _read_password()
            passwords = PasswordService(
                time_cost=settings.argon2_time_cost,
                memory_kib=settings.argon2_memory_kib,
                parallelism=settings.argon2_parallelism,
            )
            body = RegisterRequest(
                email=email, password=password, display_name=email.partition("@")[0]
            )
            await accounts.register(session, passwords, body, role="admin")
            message = f"created administrator {email}"
            return f"{message}; password: {password}" if generated else message
    finally:
        await engine.dispose()


def run_create_admin(settings: Settings, email: str, read_password: bool) -> str:
    return asyncio.run(_create_admin(settings, email, read_password))
