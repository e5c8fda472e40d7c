"""``python -m pitwall_analysis`` serves; ``python -m pitwall_analysis migrate`` migrates."""

from __future__ import annotations

import sys

from pitwall_analysis.config import get_settings
from pitwall_analysis.migrate import migrate
from pitwall_shared.serve import serve


def main(argv: list[str]) -> int:
    settings = get_settings()
    if argv[:1] == ["migrate"]:
        migrate(settings.database_url)
        print("analysis migrations applied")
        return 0
    if argv:
        print("usage: python -m pitwall_analysis [migrate]", file=sys.stderr)
        return 2
    serve("pitwall_analysis.main:create_app", "analysis", settings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
