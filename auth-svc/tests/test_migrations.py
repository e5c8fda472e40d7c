"""The schema comes from Alembic, and the migrations match the ORM models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from pitwall_auth.migrate import VERSION_TABLE
from pitwall_auth.models import Base
from pitwall_shared.db import create_engine


async def test_migrated_schema_matches_the_models(database_url):
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:

            def differences(sync_connection):  # type: ignore[no-untyped-def]
                context = MigrationContext.configure(
                    sync_connection, opts={"version_table": VERSION_TABLE}
                )
                return compare_metadata(context, Base.metadata)

            diff = await connection.run_sync(differences)
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
            version = await connection.execute(text("SELECT version_num FROM alembic_version_auth"))
            assert version.scalar_one() == "0002_throttle_per_address"
    finally:
        await engine.dispose()
    assert diff == [], diff
    assert tables == {"users", "refresh_tokens", "login_throttle", VERSION_TABLE}
