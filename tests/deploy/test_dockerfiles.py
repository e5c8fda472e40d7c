"""Each service's Dockerfile against the workspace, its settings and the shared app."""

from __future__ import annotations

import re

import pytest

from deploy.dockerfile import DockerIgnore, parse_dockerfile
from pitwall_shared.app import create_service_app
from tests.deploy.sources import (
    REPO,
    Service,
    services,
    settings_facts,
    workspace_members,
)

HEALTHCHECK_SCRIPT = REPO / "deploy" / "docker" / "healthcheck.py"


def _makefile_uv_version() -> str:
    match = re.search(r"^UV_VERSION\s*:=\s*(\S+)", (REPO / "Makefile").read_text(), re.M)
    assert match, "Makefile pins UV_VERSION"
    return match.group(1)


@pytest.fixture(params=services(), ids=lambda s: s.folder)
def service(request: pytest.FixtureRequest) -> Service:
    return request.param  # type: ignore[no-any-return]


def test_build_stage_installs_dependencies_before_sources(service: Service) -> None:
    global_args, stages = parse_dockerfile(REPO / service.folder / "Dockerfile")
    build = next(s for s in stages if s.name == "build")
    steps = build.instructions
    syncs = [i for i, (kind, args) in enumerate(steps) if kind == "RUN" and "uv sync" in args]
    assert len(syncs) == 2, "one dependency sync, one project sync"
    dependency_sync, project_sync = (steps[i][1] for i in syncs)
    for sync in (dependency_sync, project_sync):
        for flag in ("--frozen", "--no-dev", "--no-editable", f"--package {service.dist}"):
            assert flag in sync, f"{service.folder}: '{flag}' missing from: {sync}"
    assert "--no-install-workspace" in dependency_sync
    assert "--no-install-workspace" not in project_sync

    copies_before = [args for kind, args in steps[: syncs[0]] if kind == "COPY"]
    copied = " ".join(copies_before)
    # uv reads every member's pyproject to resolve the workspace, but no member's code yet.
    for member in workspace_members():
        assert f"{member}/pyproject.toml" in copied
    assert "uv.lock" in copied
    for args in copies_before:
        for source in args.split()[:-1]:
            assert source in ("pyproject.toml", "uv.lock") or source.endswith("/pyproject.toml")

    between = steps[syncs[0] : syncs[1]]
    copies_between = [args.split()[0] for kind, args in between if kind == "COPY"]
    assert sorted(copies_between) == sorted(["shared/", f"{service.folder}/"]), (
        "only the shared package and this service's sources enter the image"
    )
    assert build.env()["UV_PROJECT_ENVIRONMENT"] == "/app/.venv"
    assert f"ARG UV_VERSION={_makefile_uv_version()}" in [f"ARG {a}" for a in build.args("ARG")]
    assert global_args["PYTHON_IMAGE"].startswith("python:3.11-slim")


def test_runtime_stage_is_slim_non_root_and_healthy(service: Service) -> None:
    _, stages = parse_dockerfile(REPO / service.folder / "Dockerfile")
    runtime = stages[-1]
    assert runtime.base == "${PYTHON_IMAGE}"
    assert len(stages) >= 2, "multi-stage"
    runs = " ".join(runtime.args("RUN"))
    assert "uv " not in runs and "pip install" not in runs, "no build tools in the runtime"
    assert "COPY --from=build /app/.venv /app/.venv" in [f"COPY {a}" for a in runtime.args("COPY")]

    users = runtime.args("USER")
    assert users, "runtime sets USER"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) >= 1000, "numeric non-root uid (runAsNonRoot can check)"
    assert f"--uid {uid}" in runs

    env = runtime.env()
    assert env[f"{service.prefix}PORT"] == str(service.port)
    assert env[f"{service.prefix}HOST"] == "0.0.0.0"
    assert runtime.args("EXPOSE") == [str(service.port)]
    assert runtime.args("CMD") == [f'["python", "-m", "{service.module}"]']

    (healthcheck,) = runtime.args("HEALTHCHECK")
    assert healthcheck.endswith(f'CMD ["python", "/app/healthcheck.py", "{service.prefix}"]')
    assert "deploy/docker/healthcheck.py /app/healthcheck.py" in runtime.args("COPY")


def test_image_environment_names_are_settings_the_service_reads(service: Service) -> None:
    facts = settings_facts(service)
    if facts is None:
        pytest.fail(f"{service.module}.config is missing: every service needs its Settings")
    _, stages = parse_dockerfile(REPO / service.folder / "Dockerfile")
    env = stages[-1].env()
    ours = {
        name
        for name in env
        if name.startswith((service.prefix, "PITWALL_", "JWT", "JWKS", "LOG_LEVEL"))
    }
    unknown = ours - facts.env_names
    assert not unknown, f"{service.folder}/Dockerfile sets variables nothing reads: {unknown}"
    assert not ours & facts.secret_envs, "no secret baked into an image"
    # Paths the image points settings at exist in it: content it ships, or directories
    # created for the service user.
    runs = " ".join(stages[-1].args("RUN"))
    for name in ours & facts.path_envs:
        shipped = env[name] in stages[-1].copies()
        assert shipped or env[name] in runs, f"{env[name]} ({name}) exists in the image"


def test_healthcheck_probes_the_path_every_service_serves() -> None:
    app = create_service_app(service="probe", title="probe", routers=[])
    paths = {getattr(route, "path", None) for route in app.routes}
    assert {"/healthz", "/readyz", "/metrics"} <= paths
    assert 'HEALTH_PATH = "/healthz"' in HEALTHCHECK_SCRIPT.read_text()


def test_gateway_image_serves_the_built_web_app() -> None:
    _, stages = parse_dockerfile(REPO / "gateway" / "Dockerfile")
    frontend = next(s for s in stages if s.name == "frontend")
    runs = " ".join(frontend.args("RUN"))
    assert "npm ci" in runs and "npm run build" in runs and "test -f dist/index.html" in runs
    for copied in frontend.args("COPY")[0].split()[:-1]:
        assert (REPO / copied).is_file(), f"the frontend stage copies {copied}"
    runtime = stages[-1]
    static_dir = runtime.env()["GATEWAY_STATIC_DIR"]
    assert f"--from=frontend /frontend/dist {static_dir}" in runtime.args("COPY")


def test_dockerignore_keeps_secrets_and_local_state_out_but_not_what_images_copy() -> None:
    patterns = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for needed in (".env", "**/.venv", ".git", "**/node_modules", "frontend/dist"):
        assert needed in patterns
    assert "!deploy/docker/healthcheck.py" in patterns
    ignored_roots = {p.rstrip("/") for p in patterns if not p.startswith(("!", "*"))}
    for service in services():
        _, stages = parse_dockerfile(REPO / service.folder / "Dockerfile")
        for stage in stages:
            for args in stage.args("COPY"):
                if args.startswith("--from"):
                    continue
                for source in args.split()[:-1]:
                    top = source.split("/")[0]
                    assert top not in ignored_roots or f"!{source}" in patterns


def test_build_context_sends_service_code_but_no_tests_caches_or_secrets() -> None:
    ignore = DockerIgnore.of_repository(REPO)
    for service in services():
        sent = {p.as_posix() for p in ignore.context_files(REPO, f"{service.folder}/")}
        source = REPO / service.folder / "src" / service.module
        for path in source.rglob("*"):
            rel = path.relative_to(REPO).as_posix()
            if path.is_file() and "__pycache__" not in path.parts:
                assert rel in sent, f"{rel} would be missing from the image"
        assert not [p for p in sent if "/tests/" in p or "__pycache__" in p or ".venv" in p]
    assert ignore.excluded(".env") and ignore.excluded("auth-svc/keys/signing.pem")
    assert not ignore.excluded("deploy/docker/healthcheck.py")
    assert not ignore.excluded("deploy/docker/grant_tables.py")
    assert ignore.excluded("deploy/k8s/base/kustomization.yaml")
