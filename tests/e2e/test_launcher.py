"""``make run``'s launcher (scripts/stack.py run) stops every service on SIGTERM and SIGHUP.

A real launcher process starts the five services on free ports; after the signal no process
it started (services and their worker processes) may be left and every port must be free.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scripts.stack import REPO_ROOT

UP_TIMEOUT_SECONDS = 180
STOP_TIMEOUT_SECONDS = 180
_PORT_LINE = re.compile(r"^\s+(\w+)\s+127\.0\.0\.1:(\d+)$")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def descendants(pid: int) -> set[int]:
    found: set[int] = set()
    pending = [pid]
    while pending:
        for child in _children(pending.pop()):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def running(pid: int) -> bool:
    """Alive and not a zombie waiting for a parent (init here may not reap at once)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def blocks_sigterm(pid: int) -> bool:
    """A process that blocks SIGTERM could only be killed, never stopped in order."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigBlk:"):
            return bool(int(line.split()[1], 16) & (1 << (signal.SIGTERM - 1)))
    return False


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def wait_until_up(launcher: subprocess.Popen[str]) -> dict[str, int]:
    """Read the launcher's output until it says the stack is up; returns the ports it lists."""
    assert launcher.stdout is not None
    ports: dict[str, int] = {}
    deadline = time.monotonic() + UP_TIMEOUT_SECONDS
    for line in launcher.stdout:
        match = _PORT_LINE.match(line.rstrip("\n"))
        if match:
            ports[match.group(1)] = int(match.group(2))
        if line.startswith("Logs:"):
            return ports
        if time.monotonic() > deadline:
            break
    raise AssertionError(f"the launcher did not come up (exit code {launcher.poll()})")


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_launcher_stops_every_service_on_signal(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    launcher = subprocess.Popen(
        [
            sys.executable,
            "scripts/stack.py",
            "run",
            "--port-base",
            "0",
            "--data-dir",
            str(tmp_path),
        ],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    started: set[int] = set()
    try:
        ports = wait_until_up(launcher)
        assert set(ports) == {"gateway", "auth", "telemetry", "analysis", "report"}
        assert not any(port_is_free(port) for port in ports.values())
        started = descendants(launcher.pid)
        # Five services, plus the worker processes some of them keep.
        assert len(started) >= 5, started
        assert not [pid for pid in started if blocks_sigterm(pid)]

        launcher.send_signal(stop_signal)
        assert launcher.wait(timeout=STOP_TIMEOUT_SECONDS) == 0
        left = {pid for pid in started if running(pid)}
        assert not left, f"processes left running after {stop_signal.name}: {left}"
        assert all(port_is_free(port) for port in ports.values()), ports
    finally:
        # Clean-up after a failed assertion: only what this test started, by PID and group.
        if launcher.poll() is None:
            launcher.kill()
            launcher.wait(timeout=10)
        for pid in started:
            if running(pid):
                os.kill(pid, signal.SIGKILL)
