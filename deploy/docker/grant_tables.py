"""Give a service's own database user DML on exactly the tables that service owns.

Runs in the migration step, after ``python -m pitwall_<svc> migrate``, with the migration
user's URL in ``<PREFIX>DATABASE_URL`` (that user owns the schema WITH GRANT OPTION), so a
service's runtime user never holds DDL and cannot read another service's tables:

    python /app/grant_tables.py AUTH_ pitwall_auth pitwall_auth

Arguments: the service's env prefix, its package (``<package>.models.Base`` lists the tables)
and the runtime user to grant to (``'<user>'@'%'``, created with the database). MySQL grants
on a table need the table to exist, hence this runs after the migrations, on every release.
SQLite has no users: nothing to do.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import re
import sys

from sqlalchemy import text
from sqlalchemy.engine import make_url

from pitwall_shared.db import create_engine

# Names go into SQL as identifiers; anything beyond these characters is refused, not quoted.
IDENTIFIER = re.compile(r"^[A-Za-z0-9_]+$")
PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"


def grant_statements(database: str, tables: list[str], user: str) -> list[str]:
    for name in (database, user, *tables):
        if not IDENTIFIER.match(name):
            raise ValueError(f"refusing the identifier {name!r}")
    return [f"GRANT {PRIVILEGES} ON `{database}`.`{table}` TO '{user}'@'%'" for table in tables]


async def apply(url: str, statements: list[str]) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print("usage: grant_tables.py <ENV_PREFIX> <package> <database user>", file=sys.stderr)
        return 2
    prefix, package, user = argv[1:]
    url = os.environ.get(f"{prefix}DATABASE_URL", "")
    parsed = make_url(url)
    if parsed.get_backend_name() not in ("mysql", "mariadb"):
        print(f"{prefix}DATABASE_URL is not MySQL: no users to grant to")
        return 0
    tables = sorted(importlib.import_module(f"{package}.models").Base.metadata.tables)
    statements = grant_statements(parsed.database or "", tables, user)
    asyncio.run(apply(url, statements))
    print(f"granted {PRIVILEGES} on {', '.join(tables)} to {user}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
