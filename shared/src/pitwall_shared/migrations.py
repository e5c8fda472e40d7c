"""Alembic glue so each database-owning service's ``env.py`` stays a few lines.

Every service keeps its own version table, so several services can share one MySQL schema.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from pitwall_shared.db import async_database_url


def alembic_config(script_location: Path, database_url: str, version_table: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    # '%' would be read as interpolation by configparser.
    config.set_main_option("sqlalchemy.url", async_database_url(database_url).replace("%", "%%"))
    config.set_main_option("version_table", version_table)
    return config


def upgrade_to_head(script_location: Path, database_url: str, version_table: str) -> None:
    """Blocking: run from a CLI, a pre-start step or ``asyncio.to_thread``."""
    command.upgrade(alembic_config(script_location, database_url, version_table), "head")


def run_env(target_metadata: MetaData) -> None:
    """Body of a service's ``alembic/env.py``: online migrations over the async driver."""
    config = context.config
    url = config.get_main_option("sqlalchemy.url")
    version_table = config.get_main_option("version_table") or "alembic_version"
    if context.is_offline_mode():
        context.configure(
            url=url,
            target_metadata=target_metadata,
            version_table=version_table,
            literal_binds=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return

    def do_run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table=version_table,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        assert url is not None
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
        await engine.dispose()

    asyncio.run(run_async())
