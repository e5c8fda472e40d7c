"""Per-service credentials and limits: compose and Kubernetes give each service the same."""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from tests.deploy.sources import (
    COMPOSE_FILE,
    OVERLAYS,
    REPO,
    by_kind,
    compose_file,
    env_example,
    render_overlay,
)

K8S_BASE = REPO / "deploy" / "k8s" / "base"
CREATE_USERS = REPO / "deploy" / "k8s" / "components" / "mysql-statefulset" / "create-users.sh"
REDIS_CLIENTS = {"auth-svc": "AUTH_", "analysis-svc": "ANALYSIS_", "gateway": "GATEWAY_"}
DB_OWNERS = {"auth-svc": "auth", "analysis-svc": "analysis", "report-svc": "report"}
UNITS = {"k": 2**10, "m": 2**20, "g": 2**30, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
ACL_LINE = re.compile(r"[\"'](user \w+ [^\"']*)[\"']")


def to_bytes(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kmg]|[KMG]i)", value).groups()  # type: ignore[union-attr]
    return int(number) * UNITS[unit]


def k8s_workload(name: str, docs: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    workloads = by_kind(docs, "Deployment") | by_kind(docs, "StatefulSet")
    return next(
        c for c in workloads[name]["spec"]["template"]["spec"]["containers"] if c["name"] == name
    )


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return compose_file(env_example())


@pytest.fixture(scope="module")
def dev() -> tuple[dict[str, Any], ...]:
    return render_overlay(next(p for p in OVERLAYS if p.name == "dev"))


def test_memory_limits_agree_with_kubernetes(
    compose: dict[str, Any], dev: tuple[dict[str, Any], ...]
) -> None:
    for name, definition in compose["services"].items():
        if name.endswith("-migrate") or name == "auth-keys":
            continue
        assert "mem_limit" in definition, f"{name} has no memory limit"
        k8s = k8s_workload(name, dev)["resources"]["limits"]["memory"]
        assert to_bytes(definition["mem_limit"]) == to_bytes(k8s), name


def acl_rules(text: str) -> list[str]:
    return [" ".join(rule.split()) for rule in ACL_LINE.findall(text)]


def test_redis_acl_rules_are_the_same_in_compose_and_kubernetes() -> None:
    compose_rules = acl_rules(COMPOSE_FILE.read_text().replace("$$", "$"))
    k8s_rules = acl_rules((K8S_BASE / "redis.yaml").read_text())
    assert compose_rules == k8s_rules
    assert compose_rules[0] == "user default off"
    assert {rule.split()[1] for rule in compose_rules} == {"default", "auth", "gateway", "analysis"}


def test_each_redis_client_signs_in_as_its_own_acl_user(compose: dict[str, Any]) -> None:
    raw: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    for service, prefix in REDIS_CLIENTS.items():
        user = service.removesuffix("-svc")
        url = raw["services"][service]["environment"][f"{prefix}REDIS_URL"]
        assert url.startswith(f"redis://{user}:${{REDIS_{user.upper()}_PASSWORD:?"), url
        rule = next(r for r in acl_rules(COMPOSE_FILE.read_text()) if r.split()[1] == user)
        assert f">$$REDIS_{user.upper()}_PASSWORD " in rule
        assert compose["services"]["redis"]["environment"][f"REDIS_{user.upper()}_PASSWORD"]


def test_database_users_are_the_ones_the_database_creates(
    compose: dict[str, Any], dev: tuple[dict[str, Any], ...]
) -> None:
    created = set(re.findall(r"CREATE USER IF NOT EXISTS '(\w+)'@'%'", CREATE_USERS.read_text()))
    assert created == {"pitwall_migrate"} | {f"pitwall_{s}" for s in DB_OWNERS.values()}
    # The dev overlay generates the Secret, so its name carries a content hash.
    secrets = next(
        d["data"] for n, d in by_kind(dev, "Secret").items() if n.startswith("pitwall-secrets")
    )
    for service, short in DB_OWNERS.items():
        url = compose["services"][service]["environment"][f"{short.upper()}_DATABASE_URL"]
        assert urlsplit(url).username == f"pitwall_{short}"
        k8s_url = base64.b64decode(secrets[f"{short}-database-url"]).decode()
        assert urlsplit(k8s_url).username == f"pitwall_{short}"
    migrate_url = base64.b64decode(secrets["migrate-database-url"]).decode()
    assert urlsplit(migrate_url).username == "pitwall_migrate"
    for name in ("auth", "gateway", "analysis"):
        redis_url = base64.b64decode(secrets[f"{name}-redis-url"]).decode()
        assert urlsplit(redis_url).username == name


def test_the_migration_job_connects_as_the_migration_user(dev: tuple[dict[str, Any], ...]) -> None:
    job = by_kind(dev, "Job")["pitwall-migrate"]
    for container in job["spec"]["template"]["spec"]["containers"]:
        refs = {
            item["name"]: item["valueFrom"]["secretKeyRef"]["key"]
            for item in container.get("env", [])
            if "valueFrom" in item
        }
        urls = {name: key for name, key in refs.items() if name.endswith("_DATABASE_URL")}
        assert set(urls.values()) == {"migrate-database-url"}, container["name"]
        assert "grant_tables.py" in container["command"][-1]
