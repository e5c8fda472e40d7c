"""Prometheus metrics of the report queue, the jobs it runs and the render workers.

Labels stay bounded: a report ``kind`` (three), an ``outcome`` and a failure ``reason`` from
fixed sets, a queue ``status`` (queued, running). Never a job id or an owner.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

from pitwall_shared.problems import ProblemError

QUEUE_JOBS = Gauge(
    "pitwall_report_queue_jobs",
    "Report jobs in the shared queue by status (queued, running), counted every few seconds",
    ["status"],
)
JOBS = Counter(
    "pitwall_report_jobs_total",
    "Report job runs that ended, by kind and outcome (succeeded, failed, retried, gone)",
    ["kind", "outcome"],
)
JOB_DURATION = Histogram(
    "pitwall_report_job_duration_seconds",
    "Time one run of a report job took, from claim to its end, by kind and outcome",
    ["kind", "outcome"],
    buckets=(0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300),
)
JOB_FAILURES = Counter(
    "pitwall_report_job_failures_total",
    "Report job runs that failed (retried or not), by kind and reason (render_timeout, "
    "worker_lost, upstream, rejected, internal)",
    ["kind", "reason"],
)
RESULTS = Counter(
    "pitwall_report_results_total",
    "Content-addressed results: reused (a request answered with an identical report's PDF, "
    "nothing rendered), rendered (a new PDF stored under its key), joined (a run found an "
    "identical run's PDF stored first and used it)",
    ["outcome"],
)
RENDER_WORKERS_BUSY = Gauge(
    "pitwall_report_render_workers_busy",
    "Render worker processes drawing a chart or a PDF now",
)
RENDER_WORKERS = Gauge(
    "pitwall_report_render_workers",
    "Render worker processes the pool keeps (REPORT_RENDER_WORKERS)",
)

_REASON_BY_SLUG = {"render-timeout": "render_timeout", "render-worker-lost": "worker_lost"}


def failure_reason(error: BaseException) -> str:
    if not isinstance(error, ProblemError):
        return "internal"
    if error.slug in _REASON_BY_SLUG:
        return _REASON_BY_SLUG[error.slug]
    return "upstream" if error.status >= 500 or error.status == 429 else "rejected"
