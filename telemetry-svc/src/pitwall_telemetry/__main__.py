"""``python -m pitwall_telemetry`` serves; ``ingest YEAR EVENT SESSION`` and ``list`` manage
the snapshot store (usable as a one-shot job)."""

from __future__ import annotations

import sys

from pitwall_telemetry.config import get_settings


def main(argv: list[str]) -> int:
    settings = get_settings()
    if argv[:1] in (["ingest"], ["list"]):
        from pitwall_telemetry.cli import run_cli

        return run_cli(argv, settings)
    if argv:
        print("usage: python -m pitwall_telemetry [ingest YEAR EVENT SESSION | list]",
              file=sys.stderr)
        return 2
    from pitwall_shared.serve import serve

    serve("pitwall_telemetry.main:create_app", "telemetry", settings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
