"""``python -m pitwall_analysis`` serves; ``python -m pitwall_analysis migrate`` migrates."""

from __future__ import annotations

import sys

import uvicorn

from pitwall_analysis.config import get_settings
from pitwall_analysis.migrate import migrate


def main(argv: list[str]) -> int:
    settings = get_settings()
    if argv[:1] == ["migrate"]:
        migrate(settings.database_url)
        print("analysis migrations applied")
        return 0
    if argv:
        print("usage: python -m pitwall_analysis [migrate]", file=sys.stderr)
        return 2
    uvicorn.run("pitwall_analysis.main:create_app", factory=True, host=settings.host,
                port=settings.port, log_level=settings.log_level.lower())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
