"""``python -m pitwall_report`` serves; ``python -m pitwall_report migrate`` migrates."""

from __future__ import annotations

import sys

from pitwall_report.config import get_settings
from pitwall_report.migrate import migrate
from pitwall_shared.serve import serve


def main(argv: list[str]) -> int:
    settings = get_settings()
    if argv[:1] == ["migrate"]:
        migrate(settings.resolved_database_url)
        print("report migrations applied")
        return 0
    if argv:
        print("usage: python -m pitwall_report [migrate]", file=sys.stderr)
        return 2
    serve("pitwall_report.main:create_app", "report", settings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
