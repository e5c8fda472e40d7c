"""docker-compose.yml and .env.example against the services' settings and Dockerfiles."""

from __future__ import annotations

import ast
import re
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import pytest

from deploy.dockerfile import parse_dockerfile
from tests.deploy.sources import (
    REPO,
    Service,
    compose_file,
    compose_variables,
    env_example,
    raw_compose_environment,
    services,
    settings_facts,
    writable_at,
)

DB_OWNERS = ("auth-svc", "analysis-svc", "report-svc")
# auth-svc only reads its signing keys; the auth-keys step writes them.
KEYS_READ_ONLY = {"AUTH_KEYS_DIR"}
DATA_PORTS = {"mysql": 3306, "redis": 6379}
BASE_IMAGE_ARG = re.compile(r"^ARG (\w+_IMAGE)=(\S+)$", re.MULTILINE)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return compose_file(env_example())


@pytest.fixture(params=services(), ids=lambda s: s.folder)
def service(request: pytest.FixtureRequest) -> Service:
    return request.param  # type: ignore[no-any-return]


def _ports() -> dict[str, int]:
    return {s.folder: s.port for s in services()} | DATA_PORTS


def test_env_example_defines_exactly_the_variables_compose_reads() -> None:
    assert compose_variables() == set(env_example())


SECRETS = sorted(k for k, v in env_example().items() if v.startswith("change-me"))


def test_every_credential_is_a_secret_of_the_env_file() -> None:
    assert {
        "MYSQL_ROOT_PASSWORD",
        "MYSQL_MIGRATE_PASSWORD",
        "MYSQL_AUTH_PASSWORD",
        "MYSQL_ANALYSIS_PASSWORD",
        "MYSQL_REPORT_PASSWORD",
        "REDIS_AUTH_PASSWORD",
        "REDIS_GATEWAY_PASSWORD",
        "REDIS_ANALYSIS_PASSWORD",
        "REPORT_SERVICE_CLIENT_SECRET",
        "ANALYSIS_SERVICE_CLIENT_SECRET",
    } == set(SECRETS)


@pytest.mark.parametrize("secret", SECRETS)
def test_stack_refuses_to_start_without_each_secret(secret: str) -> None:
    env = env_example()
    env[secret] = ""
    with pytest.raises(KeyError, match=secret):
        compose_file(env)


def test_every_service_is_built_from_its_own_dockerfile(
    compose: dict[str, Any], service: Service
) -> None:
    definition = compose["services"][service.folder]
    dockerfile = f"{service.folder}/Dockerfile"
    assert definition["build"]["context"] == "."
    assert definition["build"]["dockerfile"] == dockerfile
    assert definition["image"] == f"pitwall/{service.folder}:dev"
    assert definition["read_only"] is True
    # The base images are build arguments whose compose defaults are the Dockerfile's.
    unset = {k: v for k, v in env_example().items() if not k.endswith("_IMAGE")}
    defaults = compose_file(unset)["services"][service.folder]["build"]["args"]
    declared = dict(BASE_IMAGE_ARG.findall((REPO / dockerfile).read_text()))
    assert declared, f"{dockerfile} takes no base image argument"
    for name, value in declared.items():
        assert defaults[name] == value, f"{name}: compose and {dockerfile} disagree"


def test_environment_names_ports_and_urls_match_the_settings(
    compose: dict[str, Any], service: Service
) -> None:
    facts = settings_facts(service)
    if facts is None:
        pytest.fail(f"{service.module}.config is missing: every service needs its Settings")
    env = {k: str(v) for k, v in compose["services"][service.folder]["environment"].items()}
    unknown = set(env) - facts.env_names
    assert not unknown, f"{service.folder} is given variables it never reads: {unknown}"
    assert env[f"{service.prefix}PORT"] == str(service.port)
    assert env[f"{service.prefix}HOST"] == "0.0.0.0"
    missing = (facts.loopback_url_envs | facts.required_secret_envs) - set(env)
    assert not missing, f"{service.folder} would fall back to loopback defaults: {missing}"
    ports = _ports()
    for name, value in env.items():
        if "://" not in value or not name.endswith("_URL"):
            continue
        url = urlsplit(value)
        if url.hostname not in ports:
            continue  # outside the stack, e.g. the model endpoint
        assert url.hostname in compose["services"], f"{name} points at no service"
        assert url.port == ports[url.hostname], f"{name}={value}: wrong port"


def test_secrets_come_from_the_env_file_never_from_literals(service: Service) -> None:
    facts = settings_facts(service)
    if facts is None:
        pytest.fail(f"{service.module}.config is missing: every service needs its Settings")
    raw = raw_compose_environment(service.folder)
    for name in facts.secret_envs & set(raw):
        assert "${" in raw[name], f"{name} is written into docker-compose.yml"
    for name in facts.required_secret_envs:
        assert ":?" in raw[name], f"{name} must be required (${{VAR:?}})"


def test_database_owners_migrate_in_a_one_shot_step_first(compose: dict[str, Any]) -> None:
    by_folder = {s.folder: s for s in services()}
    for folder in DB_OWNERS:
        service = by_folder[folder]
        migrate = compose["services"][f"{service.short}-migrate"]
        main = compose["services"][folder]
        assert migrate["command"] == [
            "sh",
            "-c",
            f"python -m {service.module} migrate && python /app/grant_tables.py "
            f"{service.prefix} {service.module} pitwall_{service.short}",
        ]
        assert migrate["image"] == main["image"]
        url_name = f"{service.prefix}DATABASE_URL"
        # The same settings, but the migration user instead of the service's own.
        assert {k: v for k, v in migrate["environment"].items() if k != url_name} == {
            k: v for k, v in main["environment"].items() if k != url_name
        }
        assert urlsplit(migrate["environment"][url_name]).username == "pitwall_migrate"
        assert urlsplit(main["environment"][url_name]).username == f"pitwall_{service.short}"
        assert migrate["restart"] == "no"
        assert migrate["depends_on"]["mysql"]["condition"] == "service_healthy"
        assert main["depends_on"][f"{service.short}-migrate"] == {
            "condition": "service_completed_successfully"
        }
        database_url = urlsplit(main["environment"][f"{service.prefix}DATABASE_URL"])
        assert (database_url.scheme, database_url.hostname, database_url.port) == (
            "mysql",
            "mysql",
            3306,
        )


def test_dependencies_wait_for_health_that_is_actually_checked(compose: dict[str, Any]) -> None:
    definitions = compose["services"]
    for name, definition in definitions.items():
        for target, rule in definition.get("depends_on", {}).items():
            assert target in definitions, f"{name} depends on unknown {target}"
            if rule["condition"] != "service_healthy":
                continue
            dependency = definitions[target]
            if "healthcheck" in dependency:
                continue
            dockerfile = REPO / dependency["build"]["dockerfile"]
            _, stages = parse_dockerfile(dockerfile)
            assert stages[-1].args("HEALTHCHECK"), f"{target} has no health check"


def test_only_the_gateway_publishes_a_port(compose: dict[str, Any]) -> None:
    published = {name: d["ports"] for name, d in compose["services"].items() if "ports" in d}
    gateway = next(s for s in services() if s.folder == "gateway")
    assert published == {"gateway": [f"127.0.0.1:8000:{gateway.port}"]}
    assert "edge" in compose["services"]["gateway"]["networks"]
    assert compose["networks"]["data"]["internal"] is True
    for name in ("mysql", "redis"):
        assert compose["services"][name]["networks"] == ["data"]


def _mounts(definition: dict[str, Any]) -> dict[PurePosixPath, bool]:
    """Mount point -> writable."""
    mounts = {PurePosixPath(t.split(":")[0]): True for t in definition.get("tmpfs", [])}
    for volume in definition.get("volumes", []):
        _, target, *mode = volume.split(":")
        mounts[PurePosixPath(target)] = mode != ["ro"]
    return mounts


def test_read_only_services_can_write_every_directory_they_are_given(
    compose: dict[str, Any], service: Service
) -> None:
    facts = settings_facts(service)
    if facts is None:
        pytest.fail(f"{service.module}.config is missing: every service needs its Settings")
    definition = compose["services"][service.folder]
    _, stages = parse_dockerfile(REPO / service.folder / "Dockerfile")
    env = stages[-1].env() | {k: str(v) for k, v in definition["environment"].items()}
    mounts = _mounts(definition)
    shipped = stages[-1].copies()  # content the image carries is only read
    for name in facts.path_envs:
        if name not in env or env[name] in shipped:
            continue
        path = PurePosixPath(env[name])
        if name in KEYS_READ_ONLY:
            assert mounts.get(path) is False, f"{name} is the read-only keys volume"
            continue
        assert writable_at(path, mounts), (
            f"{service.folder}: {name}={path} lies on the read-only root filesystem"
        )


def test_shared_volumes_are_the_ones_replicas_must_share(compose: dict[str, Any]) -> None:
    telemetry = compose["services"]["telemetry-svc"]
    assert "snapshots:" + telemetry["environment"]["TELEMETRY_SNAPSHOT_DIR"] in telemetry["volumes"]
    report = compose["services"]["report-svc"]
    assert "reports:" + report["environment"]["REPORT_OUTPUT_DIR"] in report["volumes"]
    auth, keys = compose["services"]["auth-svc"], compose["services"]["auth-keys"]
    assert auth["environment"]["AUTH_KEYS_DIR"] == keys["environment"]["AUTH_KEYS_DIR"]
    assert keys["volumes"] == ["auth-keys:" + keys["environment"]["AUTH_KEYS_DIR"]]
    assert auth["volumes"] == [keys["volumes"][0] + ":ro"]
    assert compose["services"]["mysql"]["volumes"][0] == "mysql-data:/var/lib/mysql"


def _declared_route_paths(package: Path) -> set[str]:
    """Paths in ``@router.<method>("/...")`` decorators, read without importing the app."""
    paths = set()
    for module in package.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and isinstance(decorator.func, ast.Attribute)
                    and decorator.func.attr in ("get", "post", "put", "patch", "delete")
                    and decorator.args
                    and isinstance(decorator.args[0], ast.Constant)
                ):
                    paths.add(str(decorator.args[0].value))
    return paths


def test_jwks_url_is_the_path_auth_serves(compose: dict[str, Any]) -> None:
    auth = next(s for s in services() if s.folder == "auth-svc")
    auth_paths = _declared_route_paths(REPO / auth.folder / "src" / auth.module)
    for name, definition in compose["services"].items():
        jwks = definition.get("environment", {}).get("JWKS_URL")
        if jwks is None:
            continue
        url = urlsplit(jwks)
        assert (url.hostname, url.port) == ("auth-svc", 8001), name
        assert url.path in auth_paths, f"{name}: auth-svc serves no {url.path}"


def test_pitwall_containers_drop_every_privilege(compose: dict[str, Any]) -> None:
    for name, definition in compose["services"].items():
        if name in DATA_PORTS:
            continue  # official images: their entrypoints step down to their own users
        assert definition["cap_drop"] == ["ALL"], name
        assert "no-new-privileges:true" in definition["security_opt"], name
        assert definition["read_only"] is True, name
