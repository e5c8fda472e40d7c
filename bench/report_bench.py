"""Report rendering cost, identical repeats and event-loop health, measured in one run.

Starts auth, telemetry, analysis and report as real processes on free loopback ports (the
local stack launcher), signs in through auth-svc, then measures:

1. report: a lap-comparison report end to end, POST to "succeeded" (the job polled every
   50 ms), one at a time, warm: p50 and p95. Each has a title of its own, so none is an
   identical repeat of another (which would be answered from its stored result);
2. baseline, in the same run: a bare WeasyPrint render of an A4 document with as many pages
   as the report, an SVG, a paragraph and a table on each, in this process (target: report
   p50 <= 2.5x this, and <= 1.0 s);
3. repeat: the same request again (same session, drivers, laps, style, title), POST to
   "succeeded": p50 (target <= 100 ms), and proof that nothing was rendered (201, every job
   succeeded with no attempt, and report-svc's count of finished job runs unchanged);
4. health: /healthz p99 of report-svc, requested back to back while 4 reports render at
   once (target <= 50 ms: rendering runs in worker processes, the event loop stays free).

Run: .venv/bin/python bench/report_bench.py  [--reports N]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.stack import Stack, new_account_token  # noqa: E402

PAIRS = [("NOR", "PIA"), ("VER", "LEC"), ("HAM", "RUS"), ("SAI", "PER"), ("ALO", "STR")]
BASELINE_ROUNDS = 10
CONCURRENT_REPORTS = 4
HEALTH_TARGET_MS = 50.0
REPORT_TARGET_MS = 1000.0
RATIO_TARGET = 2.5
REPEAT_TARGET_MS = 100.0
RUNS_METRIC = re.compile(
    r'^pitwall_report_jobs_total\{kind="lap_comparison",outcome="succeeded"\} (\S+)$', re.M)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index] * 1000


def baseline_document(pages: int) -> str:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300">'
           + "".join('<polyline fill="none" stroke="#1f5fd1" points="'
                     + " ".join(f"{x},{180 + ((x * (k + 3)) % 170) - 85}" for x in range(0, 700, 4))
                     + '"/>' for k in range(3))
           + '<text x="10" y="20">Speed (km/h)</text></svg>')
    body = "".join(
        f'<section style="page-break-before: {"always" if n > 1 else "auto"}"><h1>Page {n}</h1>'
        f"<p>{'Lap comparison text. ' * 25}</p>{svg}"
        '<table>' + "".join(f"<tr><td>T{i}</td><td>{i * 1.1:.1f}</td></tr>" for i in range(10))
        + "</table></section>" for n in range(1, pages + 1))
    return f"<html><body>{body}</body></html>"


def bare_weasyprint(pages: int, rounds: int) -> list[float]:
    from weasyprint import HTML

    html = baseline_document(pages)
    HTML(string=html).write_pdf(io.BytesIO())  # warm-up: fonts, imports
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        document = HTML(string=html).render()
        assert len(document.pages) == pages
        document.write_pdf(io.BytesIO())
        samples.append(time.perf_counter() - started)
    return samples


def report_body(pair: tuple[str, str], title: str) -> dict[str, Any]:
    return {"kind": "lap_comparison", "year": 2024, "event": "Hungary", "session": "Q",
            "drivers": list(pair), "style": "light", "title": title}


async def one_report(client: httpx.AsyncClient, body: dict[str, Any]
                     ) -> tuple[float, dict[str, Any], int]:
    """(seconds from POST to succeeded, the finished job, the POST's status code)."""
    started = time.perf_counter()
    created = await client.post("/api/v1/reports", json=body)
    created.raise_for_status()
    status = created.json()
    while True:
        if status["status"] == "succeeded":
            return time.perf_counter() - started, status, created.status_code
        if status["status"] == "failed":
            raise RuntimeError(f"report failed: {status['error']}")
        await asyncio.sleep(0.05)
        status = (await client.get(f"/api/v1/reports/{status['id']}")).json()


async def job_runs(client: httpx.AsyncClient) -> float:
    """Lap-comparison job runs that succeeded, as report-svc counts them (a render each)."""
    found = RUNS_METRIC.search((await client.get("/metrics")).text)
    return float(found.group(1)) if found else 0.0


async def health_while_rendering(client: httpx.AsyncClient, run: str
                                 ) -> tuple[list[float], float]:
    jobs = asyncio.gather(*(one_report(client, report_body(PAIRS[i % len(PAIRS)],
                                                           f"Health {run} {i}"))
                            for i in range(CONCURRENT_REPORTS)))
    task = asyncio.ensure_future(jobs)
    samples: list[float] = []
    started = time.perf_counter()
    while not task.done():
        sent = time.perf_counter()
        response = await client.get("/healthz")
        response.raise_for_status()
        samples.append(time.perf_counter() - sent)
    await task
    return samples, time.perf_counter() - started


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


async def measure(stack: Stack, headers: dict[str, str], reports: int) -> None:
    run = uuid.uuid4().hex[:8]
    async with httpx.AsyncClient(base_url=stack.url("report"), headers=headers,
                                 timeout=120) as client:
        # warm-up: worker processes, upstream caches
        await one_report(client, report_body(PAIRS[0], f"Warm-up {run}"))
        timed = [await one_report(client, report_body(PAIRS[i % len(PAIRS)], f"Bench {run} {i}"))
                 for i in range(reports)]
        report_s = [seconds for seconds, _, _ in timed]
        pages = {job["page_count"] for _, job, _ in timed}
        runs_before = await job_runs(client)
        repeats = [await one_report(client, report_body(PAIRS[i % len(PAIRS)],
                                                        f"Bench {run} {i}"))
                   for i in range(reports)]
        runs_after = await job_runs(client)
        health_s, wall = await health_while_rendering(client, run)
    page_count = max(pages)
    baseline_s = bare_weasyprint(page_count, BASELINE_ROUNDS)
    repeat_s = [seconds for seconds, _, _ in repeats]
    not_rendered = (runs_after == runs_before
                    and all(code == 201 and job["attempts"] == 0 for _, job, code in repeats))
    base50, base95 = percentile(baseline_s, 50), percentile(baseline_s, 95)
    rep50, rep95 = percentile(report_s, 50), percentile(report_s, 95)
    again50, again95 = percentile(repeat_s, 50), percentile(repeat_s, 95)
    health99 = percentile(health_s, 99)
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"bare WeasyPrint {page_count}-page render  p50 {base50:8.1f} ms  p95 {base95:8.1f} ms"
          f"  (n={len(baseline_s)}; report page counts {sorted(pages)})")
    print(f"lap-comparison report (job)    p50 {rep50:8.1f} ms  p95 {rep95:8.1f} ms  "
          f"(n={len(report_s)}; target p50 <= {REPORT_TARGET_MS:.0f} ms: "
          f"{verdict(rep50 <= REPORT_TARGET_MS)})")
    print(f"ratio report / bare render     p50 {rep50 / base50:8.2f} x   p95 "
          f"{rep95 / base95:8.2f} x  (target p50 <= {RATIO_TARGET} x: "
          f"{verdict(rep50 / base50 <= RATIO_TARGET)})")
    print(f"identical repeat (job)         p50 {again50:8.1f} ms  p95 {again95:8.1f} ms  "
          f"(n={len(repeat_s)}; target p50 <= {REPEAT_TARGET_MS:.0f} ms: "
          f"{verdict(again50 <= REPEAT_TARGET_MS)}); rendered again: "
          f"{'no' if not_rendered else 'YES'} (job runs {runs_before:.0f} -> {runs_after:.0f}, "
          f"POST codes {sorted({code for _, _, code in repeats})})")
    print(f"/healthz while {CONCURRENT_REPORTS} reports render: p99 {health99:.1f} ms, "
          f"p50 {statistics.median(health_s) * 1000:.1f} ms, n={len(health_s)}, "
          f"{wall:.1f} s for all four (target p99 <= {HEALTH_TARGET_MS:.0f} ms: "
          f"{verdict(health99 <= HEALTH_TARGET_MS)})")


Measure = Callable[[Stack, dict[str, str], int], Awaitable[None]]


def run_with_report_stack(measure: Measure, description: str, default_reports: int) -> int:
    """Start auth, telemetry, analysis and report on free ports, sign in, then measure."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--reports", type=int, default=default_reports,
                        help="sequential reports to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp, Stack.start(
        Path(tmp), services=("auth", "telemetry", "analysis", "report")
    ) as stack:
        headers = {"Authorization": f"Bearer {new_account_token(stack.url('auth'))}"}
        asyncio.run(measure(stack, headers, args.reports))
    return 0


def main() -> int:
    return run_with_report_stack(measure, __doc__.splitlines()[0], 12)


if __name__ == "__main__":
    raise SystemExit(main())
