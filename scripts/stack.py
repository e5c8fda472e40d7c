"""Start the five services as real local processes on loopback ports.

Used by ``make run`` (ports 8000-8004 or ``--port-base``, foreground; Ctrl-C, SIGTERM and
SIGHUP all stop every service), ``make demo``, the end-to-end tests and the benchmarks (free
ports, a private data directory). Every process this module starts is stopped by its PID or
its own process group; nothing else is touched.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
FRONTEND_DIST = REPO_ROOT / "frontend" / "dist"
DEFAULT_PORT_BASE = 8000
# What ends the foreground launcher: a terminal's Ctrl-C, a supervisor's stop, a closed terminal.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    module: str
    env_prefix: str
    default_port: int
    owns_database: bool


# Start order: auth first (JWKS), gateway last (it checks its upstreams).
SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("auth", "pitwall_auth", "AUTH_", 8001, True),
    ServiceSpec("telemetry", "pitwall_telemetry", "TELEMETRY_", 8002, False),
    ServiceSpec("analysis", "pitwall_analysis", "ANALYSIS_", 8003, True),
    ServiceSpec("report", "pitwall_report", "REPORT_", 8004, True),
    ServiceSpec("gateway", "pitwall_gateway", "GATEWAY_", 8000, False),
)
SPECS = {spec.name: spec for spec in SERVICES}


class StopRequested(Exception):
    """A stop signal reached the launcher; unwinding runs ``Stack.stop_all``."""


class StopOnSignal:
    """Turns the first stop signal into ``StopRequested``; later ones are ignored, so a second
    Ctrl-C or SIGTERM cannot cut the orderly stop short and orphan services.

    Inside ``deferring()`` (a child being forked and recorded) a signal is held back and
    raised on leaving, so no child is ever started without the launcher knowing its PID.
    Blocking the signals instead would pass the blocked mask on to the children.
    """

    def __init__(self) -> None:
        self.stopping = False
        self._deferring = 0
        self._pending: int | None = None

    def __call__(self, signum: int, frame: object) -> None:
        if self.stopping:
            return
        if self._deferring:
            self._pending = signum
            return
        self.stopping = True
        raise StopRequested(signal.Signals(signum).name)

    @contextlib.contextmanager
    def deferring(self) -> Iterator[None]:
        self._deferring += 1
        try:
            yield
        finally:
            self._deferring -= 1
        if not self._deferring and self._pending is not None:
            self(self._pending, None)


# Installed by ``run``; elsewhere (tests, benchmarks) its deferring is a harmless counter.
STOP_ON_SIGNAL = StopOnSignal()


def stop_process(
    process: subprocess.Popen[bytes], *, kill: bool = False, timeout: float = 30.0
) -> None:
    """SIGTERM (or SIGKILL) to one process we started, SIGKILL if it outlives ``timeout``."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def new_account_token(base_url: str, name: str = "bench") -> str:
    """Register a throwaway account through ``base_url`` (auth-svc or the gateway), sign it
    in and return its access token. For benchmarks and scripts that need any signed-in user."""
    email = f"{name}-{secrets.token_hex(4)}@example.com"
    password = f"{name}-{secrets.token_urlsafe(16)}"
    with httpx.Client(base_url=base_url, timeout=30) as client:
        client.post(
            "/api/v1/auth/register",
            json={"email": email, "password": password, "display_name": name},
        ).raise_for_status()
        login = client.post("/api/v1/auth/login", json={"email": email, "password": password})
        login.raise_for_status()
        return str(login.json()["access_token"])


def stack_env(ports: dict[str, int], data_dir: Path, overrides: dict[str, str]) -> dict[str, str]:
    """The environment every service process gets: ports, upstream URLs, shared secrets."""

    def url(name: str) -> str:
        return f"http://127.0.0.1:{ports[name]}"

    report_secret = secrets.token_urlsafe(24)
    analysis_secret = secrets.token_urlsafe(24)
    env = {
        key: value
        for key, value in os.environ.items()
        # A developer's shell may carry settings for another stack; ours are explicit.
        if not key.startswith(tuple(s.env_prefix for s in SERVICES))
    }
    env.update(
        {
            "PITWALL_ENV": "dev",
            "PITWALL_DATA_DIR": str(data_dir),
            "JWKS_URL": f"{url('auth')}/.well-known/jwks.json",
            "GATEWAY_AUTH_URL": url("auth"),
            "GATEWAY_TELEMETRY_URL": url("telemetry"),
            "GATEWAY_ANALYSIS_URL": url("analysis"),
            "GATEWAY_REPORT_URL": url("report"),
            "ANALYSIS_TELEMETRY_URL": url("telemetry"),
            "REPORT_TELEMETRY_URL": url("telemetry"),
            "REPORT_ANALYSIS_URL": url("analysis"),
            "REPORT_AUTH_URL": url("auth"),
            "AUTH_REPORT_URL": url("report"),
            "AUTH_ANALYSIS_URL": url("analysis"),
            "AUTH_SERVICE_CLIENTS": f"report:{report_secret},analysis:{analysis_secret}",
            "REPORT_SERVICE_CLIENT_SECRET": report_secret,
            "ANALYSIS_SERVICE_CLIENT_SECRET": analysis_secret,
            "TELEMETRY_OFFLINE": "true",
            "PYTHONUNBUFFERED": "1",
        }
    )
    for spec in SERVICES:
        env[f"{spec.env_prefix}HOST"] = "127.0.0.1"
        env[f"{spec.env_prefix}PORT"] = str(ports[spec.name])
    if (FRONTEND_DIST / "index.html").exists():
        env["GATEWAY_STATIC_DIR"] = str(FRONTEND_DIST)
    env.update(overrides)
    return env


@dataclass
class Stack:
    data_dir: Path
    ports: dict[str, int]
    env: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _logs: dict[str, IO[bytes]] = field(default_factory=dict)

    @classmethod
    @contextlib.contextmanager
    def start(
        cls,
        data_dir: Path,
        *,
        env: dict[str, str] | None = None,
        fixed_ports: bool = False,
        services: tuple[str, ...] | None = None,
    ) -> Iterator[Stack]:
        """Start the stack (all services, or ``services``), yield it, stop it on exit."""
        stack = cls.create(data_dir, env=env, port_base=DEFAULT_PORT_BASE if fixed_ports else None)
        try:
            stack.start_all(services)
            yield stack
        finally:
            stack.stop_all()

    @classmethod
    def create(
        cls, data_dir: Path, *, env: dict[str, str] | None = None, port_base: int | None = None
    ) -> Stack:
        """``port_base`` puts the gateway there and auth..report on the next four ports;
        None picks free ports."""
        data_dir = data_dir.resolve()
        (data_dir / "logs").mkdir(parents=True, exist_ok=True)
        ports = {
            spec.name: free_port()
            if port_base is None
            else port_base + spec.default_port - DEFAULT_PORT_BASE
            for spec in SERVICES
        }
        return cls(data_dir, ports, stack_env(ports, data_dir, env or {}))

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def log_path(self, name: str) -> Path:
        return self.data_dir / "logs" / f"{name}.log"

    def migrate(self, names: list[str]) -> None:
        """Run the migrations of ``names`` side by side: each service owns its own tables (and
        version table), so they never wait for one another."""
        owners = [name for name in names if SPECS[name].owns_database]
        failures: list[str] = []
        # Deferred stop: a migration is left to finish rather than orphaned mid-way.
        with STOP_ON_SIGNAL.deferring():
            running = {
                name: subprocess.Popen(
                    [sys.executable, "-m", SPECS[name].module, "migrate"],
                    env=self.env,
                    cwd=REPO_ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
                for name in owners
            }
            for name, process in running.items():
                try:
                    _, stderr = process.communicate(timeout=120)
                except subprocess.TimeoutExpired:
                    process.kill()
                    _, stderr = process.communicate()
                if process.returncode != 0:
                    failures.append(
                        f"migrations of {name} failed:\n{stderr.decode(errors='replace')[-3000:]}"
                    )
        if failures:
            raise RuntimeError("\n".join(failures))

    def start_service(self, name: str, *, wait: bool = True) -> None:
        spec = SPECS[name]
        log = self._logs.get(name) or self.log_path(name).open("ab")
        self._logs[name] = log
        with STOP_ON_SIGNAL.deferring():
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", spec.module],
                env=self.env,
                cwd=REPO_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Own session and process group: a terminal's Ctrl-C or hang-up reaches only
                # the launcher, which then stops each service in order.
                start_new_session=True,
            )
        if wait:
            self.wait_healthy(name)

    def wait_healthy(self, name: str, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        process = self.processes[name]
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(
                    f"{name} exited with {process.returncode}; log tail:\n{self.log_tail(name)}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url(name)}/healthz", timeout=1.0).status_code == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(
            f"{name} did not become healthy in {timeout:.0f}s:\n{self.log_tail(name)}"
        )

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.log_path(name)
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def start_all(self, services: tuple[str, ...] | None = None) -> None:
        names = [s.name for s in SERVICES if services is None or s.name in services]
        self.migrate(names)
        for name in names:
            self.start_service(name, wait=False)
        for name in names:
            self.wait_healthy(name)

    def stop_service(self, name: str, *, kill: bool = False, timeout: float = 30.0) -> None:
        """SIGTERM (or SIGKILL), then SIGKILL after ``timeout``: the grace period compose and
        Kubernetes give too, so a report job can be handed back rather than left to its lease."""
        process = self.processes.pop(name, None)
        if process is None:
            return
        stop_process(process, kill=kill, timeout=timeout)
        # Worker processes a service left behind (also one that died on its own) are still
        # in the process group we created for it (start_new_session), so they are ours to end.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)

    def stop_all(self) -> None:
        for spec in reversed(SERVICES):
            self.stop_service(spec.name)
        for log in self._logs.values():
            log.close()
        self._logs.clear()


def run(stack: Stack) -> int:
    try:
        for signum in STOP_SIGNALS:
            signal.signal(signum, STOP_ON_SIGNAL)
        stack.start_all()
        print(f"Pitwall is up: {stack.url('gateway')}  (API docs: {stack.url('gateway')}/docs)")
        for name, port in stack.ports.items():
            print(f"  {name:<10} 127.0.0.1:{port}")
        print(f"Logs: {stack.data_dir / 'logs'}. Ctrl-C stops every service.", flush=True)
        while all(p.poll() is None for p in stack.processes.values()):
            time.sleep(0.5)
        dead = [n for n, p in stack.processes.items() if p.poll() is not None]
        print(f"service(s) exited: {', '.join(dead)}; stopping the rest", file=sys.stderr)
        return 1
    except StopRequested as stop:
        print(f"\n{stop}: stopping...", flush=True)
        return 0
    except RuntimeError as exc:
        print(f"could not start the stack: {exc}", file=sys.stderr)
        return 1
    finally:
        STOP_ON_SIGNAL.stopping = True
        stack.stop_all()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["run"])
    parser.add_argument("--data-dir", type=Path, default=REPO_ROOT / "var")
    parser.add_argument(
        "--port-base",
        type=int,
        default=DEFAULT_PORT_BASE,
        help="gateway port; auth, telemetry, analysis, report take the next four (0: free ports)",
    )
    args = parser.parse_args(argv)
    stack = Stack.create(args.data_dir, port_base=args.port_base or None)
    return run(stack)


if __name__ == "__main__":
    sys.exit(main())
