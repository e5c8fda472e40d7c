"""(e) Resident memory of telemetry-svc after serving every sample session, in one run.

Starts auth and telemetry as real processes (scripts/stack.py, offline sample pack, fresh
data dir), then asks for each sample session's info, laps, stints, race control and
circuit, and every Hungary driver's fastest-lap telemetry and comparison, so the five
FastF1 sessions are loaded (in the loader process) and all tables pass through the memory
cache. Reports the service process's RSS, the loader processes' RSS, and the ratio of the
service process's RSS to its RSS right after start (the baseline measured in the same run).
Target: <= 400 MB. Run: .venv/bin/python bench/telemetry_rss.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.telemetry_gateway_latency import DRIVERS  # noqa: E402
from scripts.stack import Stack, new_account_token  # noqa: E402

SESSIONS = ["2024/Hungary/Q", "2024/Spain/Q", "2018/Azerbaijan/R", "2021/Monza/FP2",
            "2023/Azerbaijan/S", "2025/Miami/S"]
PARTS = ["", "/laps", "/stints", "/race-control", "/circuit", "/weather", "/pitstops"]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(c) for c in text]
    return found + [g for c in found for g in children(c)]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, \
            Stack.start(Path(tmp), env={"TELEMETRY_WARM_POOL": "false"},
                        services=("auth", "telemetry")) as stack:
        pid = stack.processes["telemetry"].pid
        at_start = rss_mb(pid)
        token = new_account_token(stack.url("auth"))
        with httpx.Client(base_url=stack.url("telemetry"), timeout=600,
                          headers={"Authorization": f"Bearer {token}"}) as http:
            for session in SESSIONS:
                for part in PARTS:
                    http.get(f"/api/v1/telemetry/sessions/{session}{part}")
            base = "/api/v1/telemetry/sessions/2024/Hungary/Q"
            for driver in DRIVERS:
                http.get(f"{base}/laps/{driver}/fastest/telemetry",
                         params={"channels": "distance,time,speed,throttle,brake,gear,rpm,"
                                 "drs,x,y", "points": "raw"}).raise_for_status()
                http.get(f"{base}/compare", params={"driver_a": "NOR", "driver_b": driver}
                         ).raise_for_status()
        service = rss_mb(pid)
        loaders = {child: rss_mb(child) for child in children(pid)}
    print(f"telemetry-svc process: {at_start:.0f} MB after start, {service:.0f} MB after "
          f"serving every sample session (ratio {service / at_start:.2f}; target <= 400 MB)")
    print(f"loader processes: {', '.join(f'{v:.0f} MB' for v in loaders.values()) or 'none'}; "
          f"service + loaders {service + sum(loaders.values()):.0f} MB")


if __name__ == "__main__":
    main()
