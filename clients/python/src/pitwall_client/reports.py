"""Charts (PNG/SVG bytes) and PDF reports: create, wait with a progress bar, download."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal

import httpx

from pitwall_client.calls import (
    get,
    joined,
    read_bytes,
    read_json,
    reading,
    session_params,
)
from pitwall_client.endpoint import endpoint
from pitwall_client.errors import PitwallError
from pitwall_client.flows import Call, Flow, Sleep, Steps

ReportKind = Literal["lap_comparison", "race_pace", "session_summary"]
CHART = "/api/v1/charts/sessions/{year}/{event}/{session}/{chart}.{fmt}"
REPORT = "/api/v1/reports/{report_id}"
FINISHED = ("succeeded", "failed")


class ReportFailed(PitwallError):
    def __init__(self, report: dict[str, Any]):
        self.report = report
        super().__init__(f"report {report.get('id')} failed: {report.get('error') or 'unknown'}")


class ReportTimedOut(PitwallError):
    pass


class Progress:
    """A tqdm bar when tqdm is installed and ``enabled``; nothing otherwise."""

    def __init__(self, enabled: bool, title: str):
        self.bar: Any = None
        if enabled:
            try:
                from tqdm.auto import tqdm
            except ImportError:
                return
            self.bar = tqdm(total=100, desc=title, unit="%")

    def update(self, report: dict[str, Any]) -> None:
        if self.bar is None:
            return
        done = 100 if report.get("status") == "succeeded" else round(
            100 * float(report.get("progress") or 0))
        self.bar.set_postfix_str(str(report.get("stage") or report.get("status")))
        self.bar.update(max(0, done - self.bar.n))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def wait_flow(poll: Callable[[], Flow[dict[str, Any]]], *, timeout_s: float, interval_s: float,
              progress: Callable[[], Progress]) -> Flow[dict[str, Any]]:
    deadline = time.monotonic() + timeout_s
    bar = progress()  # made when the flow starts: an async call never awaited draws nothing
    try:
        while True:
            report = yield from poll()
            bar.update(report)
            if report["status"] == "succeeded":
                return report
            if report["status"] == "failed":
                raise ReportFailed(report)
            if time.monotonic() >= deadline:
                raise ReportTimedOut(f"report {report['id']} still {report['status']} "
                                     f"after {timeout_s:.0f} s")
            yield Sleep(interval_s)
    finally:
        bar.close()


@reading("id", "status", "progress", "stage", "error")
def read_report(response: httpx.Response) -> dict[str, Any]:
    return dict(response.json())


def _save_to(path: str | Path | None) -> Callable[[httpx.Response], bytes]:
    def parse(response: httpx.Response) -> bytes:
        if path is not None:
            Path(path).write_bytes(response.content)
        return response.content

    return parse


class ReportEndpoints:
    @endpoint
    def chart(self, year: int, event: str, session: str, chart: str, *, fmt: str = "png",
              drivers: str | Iterable[str] | None = None, laps: str | Iterable[Any] | None = None,
              style: str | None = None, width: int | None = None, height: int | None = None,
              color_by: str | None = None) -> Call[bytes]:
        """A server-drawn chart (``speed-trace``, ``race-pace``, ``race-trace``...) as bytes."""
        params = session_params(year, event, session) | {"chart": chart, "fmt": fmt}
        return get(CHART, read_bytes, params, drivers=joined(drivers),
                   laps=joined(laps), style=style, width=width, height=height,
                   color_by=color_by)

    @endpoint
    def create_report(self, year: int, event: str, session: str,
                      drivers: str | Iterable[str], *, kind: ReportKind = "lap_comparison",
                      laps: Iterable[int | str] | None = None, style: str | None = None,
                      title: str | None = None) -> Call[dict[str, Any]]:
        """Queue a PDF report; answers the job (``id``, ``status``, ``progress``...)."""
        body: dict[str, Any] = {"kind": kind, "year": year, "event": event, "session": session,
                                "drivers": (joined(drivers) or "").split(",")}
        if laps is not None:
            body["laps"] = [str(lap) for lap in laps]
        body.update({k: v for k, v in {"style": style, "title": title}.items() if v})
        return Call("POST", "/api/v1/reports", read_report, json=body)

    @endpoint
    def report(self, report_id: str) -> Call[dict[str, Any]]:
        return get(REPORT, read_report, {"report_id": report_id})

    @endpoint
    def reports(self, *, limit: int = 20, offset: int = 0,
                status: str | None = None) -> Call[dict[str, Any]]:
        """A page of the caller's reports: ``items``, ``total``, ``limit``, ``offset``."""
        return get("/api/v1/reports", read_json, {}, limit=limit, offset=offset,
                   status=status)

    @endpoint
    def wait_report(self, report_id: str, *, timeout_s: float = 300.0, interval_s: float = 1.0,
                    progress: bool = True) -> Steps[dict[str, Any]]:
        """Poll until the report succeeds (answered) or fails (:class:`ReportFailed`),
        showing a tqdm progress bar when tqdm is installed."""
        poll_call = get(REPORT, read_report, {"report_id": report_id})
        return Steps(lambda perform: wait_flow(
            lambda: perform(poll_call), timeout_s=timeout_s, interval_s=interval_s,
            progress=lambda: Progress(progress, f"report {report_id[:8]}")))

    @endpoint
    def download_report(self, report_id: str, path: str | Path | None = None) -> Call[bytes]:
        """The PDF's bytes, also written to ``path`` when given."""
        return get(REPORT + "/pdf", _save_to(path), {"report_id": report_id})

    @endpoint
    def delete_report(self, report_id: str) -> Call[None]:
        return Call("DELETE", REPORT, lambda r: None, {"report_id": report_id})
