"""Report rendering cost and event-loop health, measured in one run.

Starts auth, telemetry, analysis and report as real processes on free loopback ports (the
local stack launcher), signs in through auth-svc, then measures:

1. baseline: a bare WeasyPrint render of a 3-page A4 document with an SVG on each page,
   in this process (what any PDF costs here);
2. report: a lap-comparison report end to end, POST to "succeeded" (the job polled every
   50 ms), one at a time: p50 and p95, and their ratio to the baseline;
3. health: /healthz p99 of report-svc, requested back to back while 4 reports render at
   once (target <= 50 ms: rendering runs in worker processes, the event loop stays free).

Run: .venv/bin/python bench/report_bench.py  [--reports N]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.stack import Stack, new_account_token  # noqa: E402

PAIRS = [("NOR", "PIA"), ("VER", "LEC"), ("HAM", "RUS"), ("SAI", "PER"), ("ALO", "STR")]
BASELINE_ROUNDS = 10
CONCURRENT_REPORTS = 4
HEALTH_TARGET_MS = 50.0


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index] * 1000


def baseline_document() -> str:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300">'
           + "".join('<polyline fill="none" stroke="#1f5fd1" points="'
                     + " ".join(f"{x},{180 + ((x * (k + 3)) % 170) - 85}" for x in range(0, 700, 4))
                     + '"/>' for k in range(3))
           + '<text x="10" y="20">Speed (km/h)</text></svg>')
    pages = "".join(
        f'<section style="page-break-before: {"always" if n > 1 else "auto"}"><h1>Page {n}</h1>'
        f"<p>{'Lap comparison text. ' * 25}</p>{svg}"
        '<table>' + "".join(f"<tr><td>T{i}</td><td>{i * 1.1:.1f}</td></tr>" for i in range(10))
        + "</table></section>" for n in (1, 2, 3))
    return f"<html><body>{pages}</body></html>"


def bare_weasyprint(rounds: int) -> list[float]:
    from weasyprint import HTML

    html = baseline_document()
    HTML(string=html).write_pdf(io.BytesIO())  # warm-up: fonts, imports
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        document = HTML(string=html).render()
        assert len(document.pages) == 3
        document.write_pdf(io.BytesIO())
        samples.append(time.perf_counter() - started)
    return samples


async def one_report(client: httpx.AsyncClient, pair: tuple[str, str]) -> float:
    started = time.perf_counter()
    created = await client.post("/api/v1/reports", json={
        "kind": "lap_comparison", "year": 2024, "event": "Hungary", "session": "Q",
        "drivers": list(pair)})
    created.raise_for_status()
    job_id = created.json()["id"]
    while True:
        status = (await client.get(f"/api/v1/reports/{job_id}")).json()
        if status["status"] == "succeeded":
            return time.perf_counter() - started
        if status["status"] == "failed":
            raise RuntimeError(f"report failed: {status['error']}")
        await asyncio.sleep(0.05)


async def health_while_rendering(client: httpx.AsyncClient) -> tuple[list[float], float]:
    jobs = asyncio.gather(*(one_report(client, PAIRS[i % len(PAIRS)])
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


async def measure(stack: Stack, headers: dict[str, str], reports: int) -> None:
    async with httpx.AsyncClient(base_url=stack.url("report"), headers=headers,
                                 timeout=120) as client:
        await one_report(client, PAIRS[0])  # warm-up: worker processes, upstream caches
        report_s = [await one_report(client, PAIRS[i % len(PAIRS)]) for i in range(reports)]
        health_s, wall = await health_while_rendering(client)
    baseline_s = bare_weasyprint(BASELINE_ROUNDS)
    base50, base95 = percentile(baseline_s, 50), percentile(baseline_s, 95)
    rep50, rep95 = percentile(report_s, 50), percentile(report_s, 95)
    health99 = percentile(health_s, 99)
    print(f"bare WeasyPrint 3-page render  p50 {base50:8.1f} ms  p95 {base95:8.1f} ms  "
          f"(n={len(baseline_s)})")
    print(f"lap-comparison report (job)    p50 {rep50:8.1f} ms  p95 {rep95:8.1f} ms  "
          f"(n={len(report_s)})")
    print(f"ratio report / bare render     p50 {rep50 / base50:8.2f} x   p95 "
          f"{rep95 / base95:8.2f} x")
    print(f"/healthz while {CONCURRENT_REPORTS} reports render: p99 {health99:.1f} ms, "
          f"p50 {statistics.median(health_s) * 1000:.1f} ms, n={len(health_s)}, "
          f"{wall:.1f} s for all four (target p99 <= {HEALTH_TARGET_MS:.0f} ms: "
          f"{'met' if health99 <= HEALTH_TARGET_MS else 'NOT met'})")


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
