"""Apply this service's migrations (its own Alembic version table)."""

from __future__ import annotations

from pathlib import Path

from pitwall_shared.migrations import upgrade_to_head

SCRIPT_LOCATION = Path(__file__).parent / "alembic"
VERSION_TABLE = "alembic_version_analysis"


def migrate(database_url: str) -> None:
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    upgrade_to_head(SCRIPT_LOCATION, database_url, VERSION_TABLE)
