"""Rehearse each image build without a Docker engine, then run the result and probe it.

For every service Dockerfile this replays the build stage's COPY and ``uv sync`` steps in a
scratch directory (build context filtered by ``.dockerignore``, the same uv version), then
checks what a container would get:

* the environment holds exactly the lock file's closure of the service (no other service's
  dependencies, no dev tools) and imports the service;
* every file of the service package (Alembic scripts, templates, data) reached the
  installed package, since the runtime image has no source tree;
* with ``--smoke``: the service, started from that environment with the image's ENV,
  migrates if it owns a database and passes the image's own HEALTHCHECK command (see
  ``deploy/rehearse_smoke.py``);
* with ``--all-stages``: helper stages (the gateway's npm build of the web app) are replayed
  too, and the smoke test checks the gateway serves the built app.

Steps that need an engine (base images, apt packages) are not replayed and are listed as
such.  Usage:

    python deploy/rehearse_build.py [--smoke] [--all-stages] [service-folder ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

from packaging.markers import Marker

if __package__ in (None, ""):  # run as a script: make `deploy` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.dockerfile import DockerIgnore, Stage, parse_dockerfile
from deploy.rehearse_smoke import SmokeTarget, smoke

REPO = Path(__file__).resolve().parent.parent
UV = REPO / ".tools" / "bin" / "uv"


def lock_closure(distribution: str) -> set[str]:
    """Names of the packages ``uv sync --no-dev --package <dist>`` must install."""
    lock = tomllib.loads((REPO / "uv.lock").read_text())
    packages = {p["name"]: p for p in lock["package"]}
    wanted: set[str] = set()
    seen: set[tuple[str, tuple[str, ...]]] = set()
    queue: list[tuple[str, tuple[str, ...]]] = [(distribution, ())]
    while queue:
        name, extras = queue.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        wanted.add(name)
        package = packages[name]
        deps = list(package.get("dependencies", []))
        for extra in extras:
            deps += package.get("optional-dependencies", {}).get(extra, [])
        for dep in deps:
            if _excluded_on_linux(dep.get("marker", "")):
                continue
            queue.append((dep["name"], tuple(sorted(dep.get("extra", [])))))
    return wanted


def _excluded_on_linux(marker: str) -> bool:
    """Markers judged for this interpreter: CPython 3.11 on Linux, as in the image."""
    return bool(marker) and not Marker(marker).evaluate({"extra": ""})


def _run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    # Every command here is built from our own Dockerfiles and paths, never from input.
    return subprocess.run(argv, text=True, **kwargs)  # noqa: S603


def installed(venv: Path) -> set[str]:
    result = _run(
        [str(UV), "pip", "list", "--python", str(venv / "bin" / "python"), "--format", "json"],
        capture_output=True,
        check=True,
    )
    return {p["name"].lower().replace("_", "-") for p in json.loads(result.stdout)}


def _copy_from_context(arguments: str, ignore: DockerIgnore, workdir: Path) -> None:
    *sources, destination = shlex.split(arguments)
    for source in sources:
        for rel in ignore.context_files(REPO, source):
            if source.endswith("/"):
                target = workdir / destination / rel.relative_to(source.rstrip("/"))
            elif destination.endswith("/") or destination in ("./", "."):
                target = workdir / destination / rel.name
            else:
                target = workdir / destination
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, target)


def replay_build_stage(stage: Stage, ignore: DockerIgnore, scratch: Path) -> Path:
    """COPY and ``uv sync`` of the build stage; returns the environment it produced."""
    workdir = scratch / stage.name
    venv = scratch / "venv"
    env = dict(os.environ)
    for key, value in stage.env().items():
        env[key] = value
    env["UV_PROJECT_ENVIRONMENT"] = str(venv)
    # Speed only: the image copies files and compiles bytecode to keep its layers
    # independent and its start fast; here hard links and lazy compilation are much quicker.
    env["UV_LINK_MODE"] = "hardlink"
    env["UV_COMPILE_BYTECODE"] = "0"
    env.pop("VIRTUAL_ENV", None)
    for instruction, arguments in stage.instructions:
        if instruction == "ARG" and arguments.startswith("UV_VERSION="):
            want = arguments.partition("=")[2]
            have = _run([str(UV), "--version"], capture_output=True)
            assert want in have.stdout, f"image pins uv {want}, this machine has {have.stdout}"
        elif instruction == "COPY":
            _copy_from_context(arguments, ignore, workdir)
        elif instruction == "RUN" and "uv sync" in arguments:
            command = arguments[arguments.index("uv sync") :]
            argv = [str(UV), *shlex.split(command)[1:]]
            _run(argv, cwd=workdir, env=env, check=True, capture_output=True)
        elif instruction == "RUN":
            print(f"    not replayed: RUN {arguments[:70]}")
    return venv


def replay_shell_stage(stage: Stage, ignore: DockerIgnore, scratch: Path) -> None:
    """A stage of plain shell steps (the web app's npm build), run with this machine's tools."""
    workdir = scratch / stage.name
    workdir.mkdir(parents=True)
    for instruction, arguments in stage.instructions:
        if instruction == "COPY":
            _copy_from_context(arguments, ignore, workdir)
        elif instruction == "RUN":
            _run(["sh", "-c", arguments], cwd=workdir, check=True, capture_output=True)


def check_environment(venv: Path, folder: str, distribution: str, module: str) -> None:
    have = installed(venv)
    want = lock_closure(distribution)
    assert have == want, f"extra {sorted(have - want)}, missing {sorted(want - have)}"
    python = str(venv / "bin" / "python")
    _run([python, "-c", f"import {module}.__main__"], check=True, cwd="/")
    site = Path(
        _run(
            [python, "-c", f"import {module}, os; print(os.path.dirname({module}.__file__))"],
            capture_output=True,
            check=True,
            cwd="/",
        ).stdout.strip()
    )
    source = REPO / folder / "src" / module
    for path in source.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            assert (site / path.relative_to(source)).is_file(), f"not packaged: {path}"
    print(f"    {len(have)} distributions = lock closure of {distribution}; package complete")


def rehearse(folder: str, run_smoke: bool, with_stages: bool) -> None:
    project = tomllib.loads((REPO / folder / "pyproject.toml").read_text())
    distribution = project["project"]["name"]
    _, stages = parse_dockerfile(REPO / folder / "Dockerfile")
    build = next(s for s in stages if s.name == "build")
    runtime = stages[-1]
    prefix = next(k for k in runtime.env() if k.endswith("_PORT")).removesuffix("PORT")
    module = shlex.split(runtime.args("CMD")[0].replace(",", " ").strip("[]"))[-1]
    print(f"== {folder} ({distribution})")
    ignore = DockerIgnore.of_repository(REPO)
    with tempfile.TemporaryDirectory(prefix=f"rehearse-{folder}-") as tmp:
        scratch = Path(tmp)
        replayed: dict[str, Stage] = {}
        for stage in stages:
            if stage in (build, runtime):
                continue
            if not with_stages:
                print(f"    not replayed: stage {stage.name} from {stage.base} (--all-stages)")
                continue
            started = time.monotonic()
            replay_shell_stage(stage, ignore, scratch)
            replayed[stage.name] = stage
            print(f"    stage {stage.name} replayed in {time.monotonic() - started:.1f}s")
        started = time.monotonic()
        venv = replay_build_stage(build, ignore, scratch)
        print(f"    build stage replayed in {time.monotonic() - started:.1f}s")
        check_environment(venv, folder, distribution, module)
        if run_smoke:
            started = time.monotonic()
            smoke(SmokeTarget(venv, runtime, prefix, module, scratch, replayed))
            print(f"    smoke test took {time.monotonic() - started:.1f}s")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="start each service and probe it")
    parser.add_argument(
        "--all-stages",
        action="store_true",
        help="also replay helper stages (the web app's npm build; needs npm, takes minutes)",
    )
    parser.add_argument("folders", nargs="*", help="service folders (default: all)")
    args = parser.parse_args(argv)
    folders = args.folders or sorted(p.parent.name for p in REPO.glob("*/Dockerfile"))
    failed = []
    for folder in folders:
        try:
            rehearse(folder, args.smoke, args.all_stages)
        except (AssertionError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            detail = getattr(exc, "stderr", None) or exc
            print(f"    FAILED: {detail}")
            failed.append(folder)
    if failed:
        print(f"rehearsal failed for: {', '.join(failed)}")
        return 1
    print("rehearsal: every image builds, installs only its service and serves")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
