"""The compose stack under test, driven through Debian's docker and docker-compose clients.

``deploy/compose-test.sh`` builds the images, starts the stack as its own compose project
and exports ``COMPOSE_PROJECT_NAME``, ``COMPOSE_FILE`` and ``PITWALL_COMPOSE_ENV_FILE`` (the
generated settings and secrets of this run); everything here reads those.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DOCKER = "/usr/bin/docker"
COMPOSE = "/usr/bin/docker-compose"
SERVICES = ("gateway", "auth-svc", "telemetry-svc", "analysis-svc", "report-svc")
DATA = ("mysql", "redis")
ONE_SHOTS = ("auth-migrate", "analysis-migrate", "report-migrate", "auth-keys")


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def docker(*args: str, timeout: float = 120, check: bool = True) -> str:
    result = subprocess.run(
        [DOCKER, *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"docker {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


@dataclass(frozen=True)
class ComposeStack:
    env_file: Path

    @classmethod
    def from_environment(cls) -> ComposeStack | None:
        path = os.environ.get("PITWALL_COMPOSE_ENV_FILE")
        if not path or not os.environ.get("COMPOSE_PROJECT_NAME"):
            return None
        return cls(Path(path))

    @property
    def settings(self) -> dict[str, str]:
        return read_env_file(self.env_file)

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.settings['GATEWAY_PUBLISHED_PORT']}"

    def compose(self, *args: str, timeout: float = 300, check: bool = True) -> str:
        result = subprocess.run(
            [COMPOSE, "--env-file", str(self.env_file), *args],
            capture_output=True, text=True, timeout=timeout, check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"docker-compose {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    def container(self, service: str) -> str:
        ids = self.compose("ps", "-q", service).split()
        if len(ids) != 1:
            raise RuntimeError(f"expected one {service} container, found {len(ids)}")
        return ids[0]

    def inspect(self, service: str) -> dict[str, Any]:
        return json.loads(docker("inspect", self.container(service)))[0]

    def exec(
        self, service: str, *command: str, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [DOCKER, "exec", self.container(service), *command],
            capture_output=True, text=True, timeout=60, check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"{service}: {' '.join(command)}: {result.stderr.strip()}")
        return result

    def health(self, service: str) -> str:
        state = self.inspect(service)["State"]
        return str(state.get("Health", {}).get("Status", state["Status"]))

    def wait_healthy(
        self, services: tuple[str, ...] = SERVICES + DATA, timeout: float = 300
    ) -> None:
        deadline = time.monotonic() + timeout
        pending = list(services)
        while pending:
            pending = [s for s in pending if self.health(s) != "healthy"]
            if not pending:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"not healthy after {timeout:.0f}s: {pending}")
            time.sleep(2)
