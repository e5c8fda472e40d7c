"""Start a service from a rehearsed image environment and hold it to the image's HEALTHCHECK.

The process gets the runtime stage's ENV, with what only a container has moved into the
scratch directory: ``/var/lib/pitwall`` becomes a scratch data directory, content the image
copies from the repository is read in place, content copied from a replayed stage (the web
app) is read from that stage's output. ``PITWALL_ENV=dev`` because no secrets exist here;
database owners migrate their default SQLite database first, as the compose and Kubernetes
migration steps do against MySQL.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from deploy.dockerfile import Stage

REPO = Path(__file__).resolve().parent.parent
IMAGE_DATA_ROOT = "/var/lib/pitwall"
HEALTHCHECK = REPO / "deploy" / "docker" / "healthcheck.py"


@dataclass
class SmokeTarget:
    venv: Path
    runtime: Stage
    prefix: str
    module: str
    scratch: Path
    replayed: dict[str, Stage] = field(default_factory=dict)


def _run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    # Every command here is our interpreter running our own modules.
    return subprocess.run(argv, text=True, **kwargs)  # noqa: S603


def owns_database(module: str) -> bool:
    """DB-owning services offer ``python -m <module> migrate`` (docs/conventions.md)."""
    main = next(REPO.glob(f"*/src/{module}/__main__.py"))
    return '"migrate"' in main.read_text()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _local_path(target: SmokeTarget, source: str) -> str | None:
    """Where the content a runtime COPY brings in lives on this machine, if anywhere."""
    if ":" not in source:
        return str(REPO / source)
    stage_name, path = source.split(":", 1)
    stage = target.replayed.get(stage_name)
    if stage is None:
        return None
    workdir = PurePosixPath((stage.args("WORKDIR") or ["/"])[-1])
    return str(target.scratch / stage_name / PurePosixPath(path).relative_to(workdir))


def service_environment(target: SmokeTarget) -> dict[str, str]:
    prefix, scratch = target.prefix, target.scratch
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", prefix))}
    for key, value in target.runtime.env().items():
        if key != "PATH":
            env[key] = value.replace(IMAGE_DATA_ROOT, str(scratch / "data"))
    for destination, source in target.runtime.copies().items():
        for key in [k for k, v in env.items() if v == destination]:
            local = _local_path(target, source)
            if local is None:
                env.pop(key)  # built by a stage not replayed
            else:
                env[key] = local
    # The image ships compiled bytecode; here the first run (migrate) compiles and caches it
    # for the second, instead of every run compiling everything again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["HOME"] = str(scratch)
    env["MPLCONFIGDIR"] = str(scratch / "matplotlib")
    env.update({"PITWALL_ENV": "dev", f"{prefix}HOST": "127.0.0.1"})
    env[f"{prefix}PORT"] = str(free_port())
    env["PATH"] = f"{target.venv / 'bin'}:{env['PATH']}"
    for value in env.values():
        if value.startswith(str(scratch / "data")):
            Path(value).mkdir(parents=True, exist_ok=True)
    return env


def _serves_replayed_stage_output(target: SmokeTarget) -> bool:
    """Whether a setting points at content a replayed stage built (the gateway's web app)."""
    built = {
        destination
        for destination, source in target.runtime.copies().items()
        if source.split(":", 1)[0] in target.replayed and ":" in source
    }
    return any(value in built for value in target.runtime.env().values())


def _check_web_app(env: dict[str, str], prefix: str) -> None:
    """The gateway serves the web app the node stage built, at the root."""
    url = f"http://127.0.0.1:{env[f'{prefix}PORT']}/"
    with urllib.request.urlopen(url, timeout=10) as response:
        body = response.read().decode()
        assert response.status == 200 and "<html" in body.lower(), body[:200]
    print(f"    serves the web app at {url}")


def stop_process_group(process: subprocess.Popen[bytes], module: str) -> None:
    """SIGTERM the service as its orchestrator would; then make sure nothing it started
    outlives it, and say so when something had to be killed."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        print(f"    WARNING: {module} ignored SIGTERM for 20s; killed")
        process.kill()
        process.wait()
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return
    time.sleep(2)  # workers finishing their own shutdown
    try:
        os.killpg(process.pid, signal.SIGKILL)
        print(f"    WARNING: {module} left child processes running after it exited; killed")
    except ProcessLookupError:
        pass


def smoke(target: SmokeTarget) -> None:
    env = service_environment(target)
    python = str(target.venv / "bin" / "python")
    cwd = target.scratch
    if owns_database(target.module):
        started = time.monotonic()
        _run([python, "-m", target.module, "migrate"], env=env, cwd=cwd, check=True, timeout=180)
        print(f"    migrated in {time.monotonic() - started:.1f}s")
    log_path = cwd / "service.log"
    with log_path.open("wb") as log:
        # Its own process group, so worker processes it spawns are stopped with it.
        process = subprocess.Popen(  # noqa: S603 - our interpreter, our module
            [python, "-m", target.module],
            env=env,
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 90
            probe = [python, str(HEALTHCHECK), target.prefix]
            while _run(probe, env=env, capture_output=True).returncode != 0:
                if process.poll() is not None:
                    raise AssertionError(
                        f"{target.module} exited {process.returncode}:\n{log_path.read_text()}"
                    )
                if time.monotonic() > deadline:
                    raise AssertionError(f"{target.module} never became healthy")
                time.sleep(0.5)
            print(f"    serves; HEALTHCHECK passes on {env[f'{target.prefix}PORT']}")
            if _serves_replayed_stage_output(target):
                _check_web_app(env, target.prefix)
        finally:
            stop_process_group(process, target.module)
