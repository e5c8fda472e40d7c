"""Run every Python test suite, each in its own pytest process, and print one total.

Each service's ``tests/`` is its own package named ``tests``; separate processes keep their
conftests, imports and process-wide state (FastF1's cache configuration, Prometheus
registries) apart, exactly as each service runs on its own.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SUITES = (
    "shared/tests",
    "auth-svc/tests",
    "telemetry-svc/tests",
    "analysis-svc/tests",
    "report-svc/tests",
    "gateway/tests",
    "tests/deploy",
    "tests/e2e",
    "clients/python/tests",
)
_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)")


def _counts(output: str) -> dict[str, int]:
    """Counts from pytest's closing line (the last line that carries them)."""
    for line in reversed(output.splitlines()):
        found = _COUNT.findall(line)
        if found and ("passed" in line or "failed" in line or "error" in line):
            counts: dict[str, int] = {}
            for number, word in found:
                key = "errors" if word.startswith("error") else word
                counts[key] = counts.get(key, 0) + int(number)
            return counts
    return {}


def main(argv: list[str]) -> int:
    selected = [s for s in SUITES if not argv or any(s.startswith(a) for a in argv)]
    totals: dict[str, int] = {}
    failed_suites: list[str] = []
    started = time.monotonic()
    for suite in selected:
        print(f"\n===== {suite} =====", flush=True)
        suite_started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "pytest", suite, "-p", "no:cacheprovider"],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            sys.stdout.write(line)
            lines.append(line)
        code = process.wait()
        counts = _counts("".join(lines))
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        # pytest's 5 means "no tests collected": a suite that ran nothing is a failure here.
        if code != 0 or not counts.get("passed"):
            failed_suites.append(f"{suite} (exit {code})")
        print(f"----- {suite}: {counts} in {time.monotonic() - suite_started:.0f}s", flush=True)

    print(f"\nsuites: {len(selected)} in {time.monotonic() - started:.0f}s")
    if failed_suites:
        print("failing suites: " + ", ".join(failed_suites))
    failed = totals.get("failed", 0) + totals.get("errors", 0)
    skipped = totals.get("skipped", 0)
    print(f"total: {totals.get('passed', 0)} passed, {failed} failed, {skipped} skipped")
    return 1 if failed_suites else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
