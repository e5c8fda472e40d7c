"""Load from ``wrk`` (Debian package ``wrk``), the C load generator the HTTP benchmarks share.

On two shared cores a Python client spends more CPU per request than a warm service does,
and its own queueing shows up as the service's tail; wrk keeps the client side small.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def rotating_paths_script(paths: list[str]) -> str:
    """A wrk Lua script whose requests cycle through ``paths`` (all GET)."""
    quoted = ", ".join(f'"{path}"' for path in paths)
    return (
        f"local paths = {{{quoted}}}\n"
        "local next_path = 0\n"
        "request = function()\n"
        "  next_path = next_path % #paths + 1\n"
        '  return wrk.format("GET", paths[next_path])\n'
        "end\n"
    )


def run_wrk(
    url: str, connections: int, seconds: int, token: str, paths: list[str] | None = None
) -> WrkResult:
    """One wrk run: keep-alive connections for ``seconds``; raises on any non-2xx or error.

    ``url`` is requested as is, or, given ``paths``, its origin with each path in turn.
    """
    threads = 1 if connections < 4 else 2
    with tempfile.TemporaryDirectory() as tmp:
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout",
                   "10s", "--latency", "-H", f"Authorization: Bearer {token}"]
        if paths:
            script = Path(tmp) / "paths.lua"
            script.write_text(rotating_paths_script(paths))
            command += ["-s", str(script)]
        out = subprocess.run(
            [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
        ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"errors during the run:\n{out}")

    def number(pattern: str) -> re.Match[str]:
        match = re.search(pattern, out)
        if match is None:
            raise RuntimeError(f"unexpected wrk output:\n{out}")
        return match

    def percentile_ms(name: str) -> float:
        match = number(rf"\s{name}%\s+([\d.]+)(us|ms|s)\b")
        return float(match.group(1)) * UNIT_MS[match.group(2)]

    return WrkResult(
        requests_per_second=float(number(r"Requests/sec:\s+([\d.]+)").group(1)),
        p50_ms=percentile_ms("50"),
        p99_ms=percentile_ms("99"),
        requests=int(number(r"(\d+) requests in").group(1)),
    )
