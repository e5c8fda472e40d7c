"""Run the Python test suites, each in its own pytest process, and print one total.

Each service's ``tests/`` is its own package named ``tests``; separate processes keep their
conftests, imports and process-wide state (FastF1's cache configuration, Prometheus
registries) apart, exactly as each service runs on its own.

Suites run ``--jobs`` at a time (default 3: they wait for renders, leases and services
often enough that a third keeps two cores busy), the longest first; a suite's output is
printed in one piece when it ends, so a failure reads under its own suite's header. The end
has the total, the failing suites with their failed tests, and the slowest tests of the run.

    scripts/run_tests.py                  every suite
    scripts/run_tests.py --fast           the unit and API suites (no whole-stack suites)
    scripts/run_tests.py gateway/tests    the suites whose path starts with an argument
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# Order (measured): report-svc first, then the FastF1-heavy suites, tests/e2e once report-svc
# is likely done (its PDF renders ran over their timeout while e2e's five-service stacks
# shared the two cores), the short suites last, longest first (gateway ~24 s, auth ~21,
# shared ~6, deploy ~3 on a quiet machine). ``fast`` marks the unit and API suites: the
# services in process, no whole stack of the five services started.
SUITES: dict[str, bool] = {
    "report-svc/tests": True,
    "telemetry-svc/tests": True,
    "analysis-svc/tests": True,
    "tests/e2e": False,
    "clients/python/tests": False,
    "gateway/tests": True,
    "auth-svc/tests": True,
    "shared/tests": True,
    "tests/deploy": True,
}
# A suite too long for one lane runs as several pytest processes (each still in the suite's
# own package, so its conftest applies): the files named here are one part each group, every
# other test file of the suite the last part. Here: report-svc's tests that mostly wait (render
# and lease timeouts, restarts; with the result-reuse tests, on the same fixture session, to
# balance the two) apart from those that draw charts, so one part's waits overlap with
# another suite's CPU work.
PARTS: dict[str, list[list[str]]] = {
    "report-svc/tests": [
        ["test_render_pool.py", "test_render_pool_uvloop.py", "test_job_restart.py",
         "test_job_model_owner.py", "test_report_metrics.py", "test_quotas.py",
         "test_results.py"],
    ],
}
SLOWEST = 10
# Plugins that pytest loads from their entry points in every process, costing seconds of
# imports (hypothesis, schemathesis): turned off for the suites whose files never name them.
OPTIONAL_PLUGINS = {"hypothesis": "hypothesispytest", "schemathesis": "schemathesis"}
_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)")
_FAILED_LINE = re.compile(r"^(FAILED|ERROR) ")


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


@dataclass
class SuiteResult:
    suite: str
    code: int
    output: str
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    # (seconds, test id): setup + call + teardown of each test, from pytest's JUnit report.
    timings: list[tuple[float, str]] = field(default_factory=list)
    cpu_seconds: float = 0.0

    @property
    def failed(self) -> bool:
        # pytest's 5 means "no tests collected": a suite that ran nothing is a failure here.
        return self.code != 0 or not self.counts.get("passed")


def _timings(report: Path) -> list[tuple[float, str]]:
    if not report.exists():
        return []
    timings = []
    for case in ET.parse(report).iter("testcase"):  # noqa: S314 - our own pytest's file
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        timings.append((float(case.get("time") or 0), name))
    return timings


@dataclass(frozen=True)
class Run:
    """One pytest process: a whole suite, or one part of a suite split by ``PARTS``."""

    name: str
    paths: tuple[str, ...]
    plugin_flags: tuple[str, ...] = ()


def runs_of(suite: str) -> list[Run]:
    flags = tuple(unused_plugin_flags(suite))
    groups = PARTS.get(suite)
    if not groups:
        return [Run(suite, (suite,), flags)]
    named = {name for group in groups for name in group}
    rest = sorted(p.name for p in (REPO_ROOT / suite).glob("test_*.py") if p.name not in named)
    parts = [*groups, rest]
    return [
        Run(f"{suite} (part {number} of {len(parts)})",
            tuple(f"{suite}/{name}" for name in group), flags)
        for number, group in enumerate(parts, start=1)
    ]


def load_average() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def unused_plugin_flags(suite: str) -> list[str]:
    """``-p no:<plugin>`` for each optional plugin no file of the suite mentions (the shared
    test helpers that use hypothesis are only reached from files that name them too)."""
    texts = [path.read_text(encoding="utf-8") for path in (REPO_ROOT / suite).rglob("*.py")]
    flags: list[str] = []
    for word, plugin in OPTIONAL_PLUGINS.items():
        if not any(word in text for text in texts):
            flags += ["-p", f"no:{plugin}"]
    return flags


def run_suite(run: Run, report_dir: Path) -> SuiteResult:
    report = report_dir / (re.sub(r"\W+", "_", run.name) + ".xml")
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "pytest", *run.paths, "-p", "no:cacheprovider",
         *run.plugin_flags, f"--junitxml={report}"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    with process.stdout:
        output = process.stdout.read()
    # Reaped with wait4 for its own resource usage: the CPU time of the pytest process and of
    # every process it started and waited for (service workers, subprocesses of tests).
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return SuiteResult(
        run.name,
        process.returncode,
        output,
        time.monotonic() - started,
        _counts(output),
        _timings(report),
        usage.ru_utime + usage.ru_stime,
    )


def select(argv: list[str], fast: bool) -> list[Run]:
    return [
        run
        for suite, is_fast in SUITES.items()
        if (not fast or is_fast) and (not argv or any(suite.startswith(a) for a in argv))
        for run in runs_of(suite)
    ]


def summary(results: list[SuiteResult], seconds: float, jobs: int) -> tuple[str, bool]:
    totals: dict[str, int] = {}
    for result in results:
        for key, value in result.counts.items():
            totals[key] = totals.get(key, 0) + value
    cpu = sum(r.cpu_seconds for r in results)
    load = load_average()
    lines = [
        f"\nsuites: {len(results)} in {seconds:.0f}s ({jobs} at a time), "
        f"CPU {cpu:.0f}s, load average at the end {load}"
    ]
    lines += [
        f"  {r.suite}: {r.counts} in {r.seconds:.0f}s, CPU {r.cpu_seconds:.0f}s" for r in results
    ]
    failing = [r for r in results if r.failed]
    if failing:
        lines.append("failing suites: " + ", ".join(f"{r.suite} (exit {r.code})" for r in failing))
        for result in failing:
            lines += [
                f"  {result.suite}: {line}"
                for line in result.output.splitlines()
                if _FAILED_LINE.match(line)
            ]
    slowest = sorted((t for r in results for t in r.timings), reverse=True)[:SLOWEST]
    if slowest:
        lines.append(f"slowest {len(slowest)} tests (setup + call + teardown):")
        lines += [f"  {secs:7.1f}s  {name}" for secs, name in slowest]
    failed = totals.get("failed", 0) + totals.get("errors", 0)
    lines.append(
        f"total: {totals.get('passed', 0)} passed, {failed} failed, "
        f"{totals.get('skipped', 0)} skipped"
    )
    return "\n".join(lines), bool(failing)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suites", nargs="*", help="run the suites whose path starts so")
    parser.add_argument("--fast", action="store_true", help="only the unit and API suites")
    parser.add_argument(
        "--jobs",
        type=int,
        default=int(os.environ.get("PITWALL_TEST_JOBS", 3)),
        help="suites at a time (default 3, or PITWALL_TEST_JOBS)",
    )
    args = parser.parse_args(argv)
    selected = select(args.suites, args.fast)
    if not selected:
        print(f"no suite matches {args.suites}")
        return 1
    jobs = max(1, min(args.jobs, len(selected)))
    lock = threading.Lock()
    started = time.monotonic()
    print("load average at the start: " + load_average())

    def one(run: Run) -> SuiteResult:
        with lock:
            print(f"started {run.name}", flush=True)
        result = run_suite(run, Path(report_dir))
        with lock:
            print(
                f"\n===== {run.name} =====\n{result.output}"
                f"----- {run.name}: {result.counts} in {result.seconds:.0f}s",
                flush=True,
            )
        return result

    with (
        tempfile.TemporaryDirectory(prefix="pitwall-junit-") as report_dir,
        ThreadPoolExecutor(max_workers=jobs) as pool,
    ):
        results = list(pool.map(one, selected))
    text, failed = summary(results, time.monotonic() - started, jobs)
    print(text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
