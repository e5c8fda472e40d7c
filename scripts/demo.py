"""The main job, end to end through the gateway: log in, compare two drivers' laps of 2024
Hungarian GP qualifying, read the insights, and write a PDF report to ``out/``.

Starts the local stack (embedded defaults: SQLite, the sample pack, no API keys) unless a
gateway already answers on 127.0.0.1:8000, and stops what it started.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.stack import REPO_ROOT, Stack

DEMO_EMAIL = "racefan@pitwall.example"
DEMO_PASSWORD = "fast-lap-2024-demo"  # a local demo account on the user's own machine
SESSION = ("2024", "Hungary", "Q")
DRIVERS = ("NOR", "PIA")


@contextlib.contextmanager
def running_gateway(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    default = "http://127.0.0.1:8000"
    with contextlib.suppress(httpx.HTTPError):
        if httpx.get(f"{default}/readyz", timeout=2).status_code == 200:
            print(f"using the stack already running at {default}")
            yield default
            return
    print("starting the local stack (embedded defaults)...", flush=True)
    with Stack.start(REPO_ROOT / "var", fixed_ports=True) as stack:
        yield stack.url("gateway")


def check(response: httpx.Response, what: str) -> httpx.Response:
    if response.status_code >= 400:
        raise SystemExit(f"{what} failed: {response.status_code} {response.text[:500]}")
    return response


def login(client: httpx.Client) -> str:
    register = client.post(
        "/api/v1/auth/register",
        json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "display_name": "Demo"},
    )
    if register.status_code not in (201, 409):
        check(register, "register")
    tokens = check(
        client.post("/api/v1/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}),
        "login",
    ).json()
    return str(tokens["access_token"])


def run(client: httpx.Client, out_dir: Path) -> Path:
    year, event, session = SESSION
    base = f"/api/v1/telemetry/sessions/{year}/{event}/{session}"
    info = check(client.get(base), "session info").json()
    print(
        f"session: {info['session']['event_name']} {info['session']['session_name']}, "
        f"{len(info['drivers'])} drivers"
    )

    a, b = DRIVERS
    analysis = check(
        client.get(
            f"/api/v1/analysis/sessions/{year}/{event}/{session}/lap-comparison",
            params={"driver_a": a, "driver_b": b},
        ),
        "lap comparison",
    ).json()
    narrative = analysis["insights"]
    writer = narrative.get("model") or narrative["source"]
    print(f"insights ({writer}):")
    for insight in narrative["insights"][:5]:
        print(f"  - {insight['text']}")

    job = check(
        client.post(
            "/api/v1/reports",
            json={
                "kind": "lap_comparison",
                "year": int(year),
                "event": event,
                "session": session,
                "drivers": list(DRIVERS),
            },
        ),
        "create report",
    ).json()
    report_id = job["id"]
    deadline = time.monotonic() + 180
    status: dict[str, object] = job
    shown = ""
    while time.monotonic() < deadline:
        status = check(client.get(f"/api/v1/reports/{report_id}"), "report status").json()
        line = f"  report {report_id}: {status['stage']} ({status['progress']}%)"
        if line != shown:
            print(line, flush=True)
            shown = line
        if status["status"] in ("succeeded", "failed"):
            break
        time.sleep(1)
    if status["status"] != "succeeded":
        raise SystemExit(f"report did not finish: {status}")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"pitwall-{year}-{event}-{session}-{a}-vs-{b}.pdf"
    with client.stream("GET", f"/api/v1/reports/{report_id}/pdf") as response:
        check(response, "download")
        with path.open("wb") as fh:
            for chunk in response.iter_bytes():
                fh.write(chunk)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gateway", help="use this running gateway instead of starting one")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "out")
    args = parser.parse_args()
    started = time.monotonic()
    with running_gateway(args.gateway) as url, httpx.Client(base_url=url, timeout=60) as client:
        client.headers["Authorization"] = f"Bearer {login(client)}"
        path = run(client, args.out)
    pages = _page_count(path)
    print(
        f"\nreport written: {path} ({pages} pages, {path.stat().st_size // 1024} KiB) "
        f"in {time.monotonic() - started:.1f}s"
    )
    return 0


def _page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


if __name__ == "__main__":
    sys.exit(main())
