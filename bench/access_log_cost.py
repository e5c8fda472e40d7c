"""What one access line costs in-process: ``log_access`` (JSON formatting, redaction of the
gateway's path, write and flush to a file) against writing and flushing a line of the same
length with orjson alone, measured in the same run, interleaved over several rounds. Outside
an event loop the direct writer (``AccessLineWriter``) writes and flushes every line, so this
is the unbatched cost; a service batches the writes of up to 50 ms.

    .venv/bin/python bench/access_log_cost.py [--lines 20000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from pathlib import Path
from statistics import median
from types import SimpleNamespace
from typing import Any

import orjson

from pitwall_shared.access_log import log_access
from pitwall_shared.logs import configure_logging

# What the gateway records for a proxied, signed-in request.
SCOPE: dict[str, Any] = {
    "method": "GET",
    "client": ("127.0.0.1", 51000),
    "route": SimpleNamespace(path="/api/v1/telemetry/{path:path}"),
    "state": {
        "identity": SimpleNamespace(user_id="fe31efb1-a00b-4108-a069-4cfaf1969dd6"),
        "access": {"client": "127.0.0.1", "path": "/api/v1/telemetry/sessions/2024/Hungary/Q/laps",
                   "upstream": "telemetry", "upstream_ms": 1.23, "upstream_status": 200},
    },
}


def per_line_us(lines: int, write: Any) -> float:
    started = time.perf_counter()
    for _ in range(lines):
        write()
    return (time.perf_counter() - started) / lines * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    configure_logging("gateway", "WARNING")  # access lines are written whatever the level
    with tempfile.TemporaryDirectory() as tmp, open(Path(tmp) / "log", "w") as sink:
        handler = logging.getLogger().handlers[0]
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(sink)
        log_access(SCOPE, 200, time.perf_counter())
        sink.flush()
        sample = (Path(tmp) / "log").read_text().splitlines()[0]
        bare_entry = {"line": "x" * (len(sample) - 11)}

        def bare() -> None:
            sink.write(orjson.dumps(bare_entry).decode() + "\n")
            sink.flush()

        rounds = [
            (per_line_us(args.lines, lambda: log_access(SCOPE, 200, time.perf_counter())),
             per_line_us(args.lines, bare))
            for _ in range(args.rounds)
        ]
    access_us = median(a for a, _ in rounds)
    bare_us = median(b for _, b in rounds)
    print(f"line: {sample}")
    print(f"access line: {access_us:.1f} us; bare orjson write+flush of the same length: "
          f"{bare_us:.1f} us; ratio {median(a / b for a, b in rounds):.1f} "
          f"(medians of {args.rounds} rounds of {args.lines})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
