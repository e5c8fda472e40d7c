"""Apply report-svc's Alembic migrations (the only way its schema is created)."""

from __future__ import annotations

from pathlib import Path

from pitwall_shared.migrations import upgrade_to_head

SCRIPT_LOCATION = Path(__file__).resolve().parent / "alembic"
VERSION_TABLE = "alembic_version_report"


def migrate(database_url: str) -> None:
    """Blocking; call from the CLI or ``asyncio.to_thread``."""
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    upgrade_to_head(SCRIPT_LOCATION, database_url, VERSION_TABLE)
