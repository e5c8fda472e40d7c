"""A race session report end to end, against a bare WeasyPrint render of as many pages.

Starts auth, telemetry, analysis and report as real processes on free loopback ports (the
local stack launcher), signs in through auth-svc, then measures:

1. report: the session report of the 2018 Azerbaijan GP race (race trace, positions, race
   pace, team pace, strategy with pit-stop costs, degradation, tables), POST to "succeeded"
   (the job polled every 50 ms), one at a time after one warm-up: p50 and p95;
2. baseline, in the same run: a bare WeasyPrint render of an A4 document with the same
   number of pages, an SVG and a table on each (what the pages alone cost here).

Run: .venv/bin/python bench/report_race.py  [--reports N]
"""

from __future__ import annotations

import asyncio
import io
import sys
import time
import uuid
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.report_bench import percentile, run_with_report_stack  # noqa: E402
from scripts.stack import Stack  # noqa: E402

RACE_REPORT = {"kind": "session_summary", "year": 2018, "event": "Azerbaijan", "session": "R"}
BASELINE_ROUNDS = 5


def baseline_document(pages: int) -> str:
    """Pages like a report's: a heading, a paragraph, a 20-driver chart and a table."""
    lines = "".join(
        '<polyline fill="none" stroke="#1f5fd1" points="'
        + " ".join(f"{x},{150 + ((x * (k + 3)) % 120) - 60}" for x in range(0, 700, 14))
        + '"/>' for k in range(20))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="700" height="300">{lines}'
           '<text x="10" y="20">Gap to leader (s)</text></svg>')
    table = "<table>" + "".join(f"<tr><td>HAM</td><td>{i}</td><td>{i * 1.1:.3f}</td></tr>"
                                for i in range(20)) + "</table>"
    body = "".join(
        f'<section style="page-break-before: {"always" if n > 1 else "auto"}">'
        f"<h1>Page {n}</h1><p>{'Race report text. ' * 20}</p>{svg}{table}</section>"
        for n in range(1, pages + 1))
    return f"<html><body>{body}</body></html>"


def bare_weasyprint(pages: int, rounds: int) -> list[float]:
    from weasyprint import HTML

    html = baseline_document(pages)
    HTML(string=html).write_pdf(io.BytesIO())  # warm-up: fonts, imports
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        document = HTML(string=html).render()
        document.write_pdf(io.BytesIO())
        samples.append(time.perf_counter() - started)
    print(f"(baseline document: {len(document.pages)} pages)")
    return samples


async def one_report(client: httpx.AsyncClient) -> tuple[float, int]:
    started = time.perf_counter()
    # A title of its own each time: an identical request would be answered from the stored
    # result instead of rendered (bench/report_bench.py measures that case).
    body = {**RACE_REPORT, "title": f"Race report {uuid.uuid4().hex[:8]}"}
    created = await client.post("/api/v1/reports", json=body)
    created.raise_for_status()
    job_id = created.json()["id"]
    while True:
        status = (await client.get(f"/api/v1/reports/{job_id}")).json()
        if status["status"] == "succeeded":
            return time.perf_counter() - started, int(status["page_count"])
        if status["status"] == "failed":
            raise RuntimeError(f"report failed: {status['error']}")
        await asyncio.sleep(0.05)


async def measure(stack: Stack, headers: dict[str, str], reports: int) -> None:
    async with httpx.AsyncClient(base_url=stack.url("report"), headers=headers,
                                 timeout=300) as client:
        cold, pages = await one_report(client)  # warm-up: workers, snapshots, analyses
        timed = [await one_report(client) for _ in range(reports)]
    report_s = [seconds for seconds, _ in timed]
    baseline_s = bare_weasyprint(pages, BASELINE_ROUNDS)
    base50, rep50, rep95 = (percentile(baseline_s, 50), percentile(report_s, 50),
                            percentile(report_s, 95))
    print(f"race report, first (cold caches)   {cold * 1000:8.1f} ms  ({pages} pages)")
    print(f"race report (job, warm)       p50 {rep50:8.1f} ms  p95 {rep95:8.1f} ms  "
          f"(n={len(report_s)})")
    print(f"bare WeasyPrint {pages}-page render p50 {base50:8.1f} ms  (n={len(baseline_s)})")
    print(f"ratio report / bare render    p50 {rep50 / base50:8.2f} x")


def main() -> int:
    return run_with_report_stack(measure, __doc__.splitlines()[0], 5)


if __name__ == "__main__":
    raise SystemExit(main())
