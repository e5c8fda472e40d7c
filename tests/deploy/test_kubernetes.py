"""Every rendered overlay (``kubectl kustomize``) against the settings, images and compose."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import pytest

from deploy.dockerfile import parse_dockerfile
from tests.deploy.k8s_view import Overlay
from tests.deploy.sources import (
    OVERLAYS,
    REPO,
    Service,
    compose_file,
    env_example,
    kubectl_available,
    render_overlay,
    services,
    settings_facts,
    writable_at,
)

DB_OWNERS = ("auth-svc", "analysis-svc", "report-svc")
AUTOSCALED = ("telemetry-svc", "analysis-svc", "report-svc")
# Signing keys come from a read-only Secret in prod (an emptyDir in dev).
MOUNTED_READ_ONLY = {"AUTH_KEYS_DIR"}

pytestmark = pytest.mark.skipif(not kubectl_available(), reason="kubectl is not installed")


@pytest.fixture(scope="module", params=OVERLAYS, ids=lambda p: p.name)
def overlay(request: pytest.FixtureRequest) -> Overlay:
    return Overlay(request.param.name, render_overlay(request.param))


@pytest.fixture(params=services(), ids=lambda s: s.folder)
def service(request: pytest.FixtureRequest) -> Service:
    return request.param  # type: ignore[no-any-return]


def test_overlays_exist() -> None:
    assert {p.name for p in OVERLAYS} >= {"dev", "prod"}


def test_image_command_and_ports_match_the_dockerfile(overlay: Overlay, service: Service) -> None:
    container = overlay.service_container(service)
    compose_image = compose_file(env_example())["services"][service.folder]["image"]
    repository = compose_image.rsplit(":", 1)[0]
    assert container.spec["image"].rsplit(":", 1)[0].endswith(repository)
    assert container.spec["command"] == ["python", "-m", service.module]
    # The gateway also has a metrics port, kept off its Service (tests/deploy/test_ingress.py).
    extra = [{"name": "metrics", "containerPort": 9100}] if service.folder == "gateway" else []
    assert container.spec["ports"] == [{"name": "http", "containerPort": service.port}, *extra]
    assert overlay.service_port(service.folder) == service.port
    assert overlay.services[service.folder]["spec"]["ports"][0]["targetPort"] == "http"


def test_probes_use_the_shared_health_paths(overlay: Overlay, service: Service) -> None:
    spec = overlay.service_container(service).spec
    # The gateway's /readyz aggregates its upstreams; as its pods' readiness it would turn
    # one broken upstream into a full outage (see base/gateway.yaml).
    readiness = "/healthz" if service.folder == "gateway" else "/readyz"
    for probe, path in (
        ("startupProbe", "/healthz"),
        ("livenessProbe", "/healthz"),
        ("readinessProbe", readiness),
    ):
        assert spec[probe]["httpGet"] == {"path": path, "port": "http"}, probe
    assert spec["resources"]["requests"]["cpu"] and spec["resources"]["limits"]["memory"]


def test_environment_matches_the_settings(overlay: Overlay, service: Service) -> None:
    facts = settings_facts(service)
    if facts is None:
        pytest.fail(f"{service.module}.config is missing: every service needs its Settings")
    container = overlay.service_container(service)
    env = container.env
    unknown = set(env) - facts.env_names
    assert not unknown, f"{overlay.name}/{service.folder} gets variables nothing reads: {unknown}"
    assert env[f"{service.prefix}PORT"] == str(service.port)
    assert env[f"{service.prefix}HOST"] == "0.0.0.0"
    missing = (facts.loopback_url_envs | facts.required_secret_envs) - set(env)
    assert not missing, f"{service.folder} would fall back to loopback defaults: {missing}"
    leaked = facts.secret_envs & container.from_config
    assert not leaked, f"secrets in a ConfigMap: {leaked}"
    if service.folder in DB_OWNERS:
        assert f"{service.prefix}DATABASE_URL" in container.from_secrets
    # The same variable names the compose stack sets: one vocabulary for both.
    compose_env = compose_file(env_example())["services"][service.folder]["environment"]
    assert set(compose_env) <= set(env), set(compose_env) - set(env)


def test_urls_point_at_services_on_their_ports(overlay: Overlay, service: Service) -> None:
    env = overlay.service_container(service).env
    # the JWKS path is checked against auth-svc's routes in test_compose
    compose_env = compose_file(env_example())["services"][service.folder]["environment"]
    assert env["JWKS_URL"] == compose_env["JWKS_URL"]
    for name, value in env.items():
        if not name.endswith("_URL") or "://" not in value:
            continue
        url = urlsplit(value)
        if url.hostname not in overlay.services:
            assert url.hostname and "." in url.hostname, f"{name}={value} names no Service"
            continue
        assert url.port == overlay.service_port(url.hostname), f"{name}={value}"


def test_pods_run_non_root_on_a_read_only_root(overlay: Overlay, service: Service) -> None:
    container = overlay.service_container(service)
    pod_security = container.pod_spec["securityContext"]
    _, stages = parse_dockerfile(REPO / service.folder / "Dockerfile")
    image_uid = stages[-1].args("USER")[-1].split(":")[0]
    assert pod_security["runAsNonRoot"] is True
    assert str(pod_security["runAsUser"]) == image_uid
    assert pod_security["seccompProfile"] == {"type": "RuntimeDefault"}
    security = container.spec["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"] == {"drop": ["ALL"]}
    assert container.pod_spec["automountServiceAccountToken"] is False


def test_every_directory_a_service_writes_is_a_writable_volume(
    overlay: Overlay, service: Service
) -> None:
    facts = settings_facts(service)
    if facts is None:
        pytest.fail(f"{service.module}.config is missing: every service needs its Settings")
    container = overlay.service_container(service)
    _, stages = parse_dockerfile(REPO / service.folder / "Dockerfile")
    env = stages[-1].env() | container.env
    mounts = container.mounts()
    writable = {PurePosixPath(p): not m["readOnly"] for p, m in mounts.items()}
    assert writable[PurePosixPath("/tmp")]
    for name in facts.path_envs:
        if name not in env:
            continue
        path = PurePosixPath(env[name])
        if str(path) in stages[-1].copies():
            continue  # content the image carries is only read
        if name in MOUNTED_READ_ONLY:
            assert str(path) in mounts, f"{name} not mounted"
            continue
        assert writable_at(path, writable), (
            f"{overlay.name}/{service.folder}: {name}={path} is on the read-only root"
        )


def test_shared_state_lives_on_claims_every_replica_mounts(overlay: Overlay) -> None:
    for folder, env_name, claim in (
        ("telemetry-svc", "TELEMETRY_SNAPSHOT_DIR", "telemetry-snapshots"),
        ("report-svc", "REPORT_OUTPUT_DIR", "report-output"),
    ):
        service = next(s for s in services() if s.folder == folder)
        container = overlay.service_container(service)
        volume = container.mounts()[container.env[env_name]]
        assert volume["persistentVolumeClaim"]["claimName"] == claim
    claims = {
        d["metadata"]["name"]: d for d in overlay.docs if d["kind"] == "PersistentVolumeClaim"
    }
    if overlay.name == "prod":
        assert claims["telemetry-snapshots"]["spec"]["accessModes"] == ["ReadWriteMany"]
        auth = overlay.service_container(next(s for s in services() if s.folder == "auth-svc"))
        keys = auth.mounts()[auth.env["AUTH_KEYS_DIR"]]
        assert keys["secret"]["secretName"] == "pitwall-auth-keys" and keys["readOnly"]


def test_autoscalers_and_disruption_budgets(overlay: Overlay, service: Service) -> None:
    hpas = {
        d["metadata"]["name"]: d for d in overlay.docs if d["kind"] == "HorizontalPodAutoscaler"
    }
    deployment = overlay.deployments[service.folder]
    if service.folder in AUTOSCALED:
        target = hpas[service.folder]["spec"]["scaleTargetRef"]
        assert (target["kind"], target["name"]) == ("Deployment", service.folder)
        assert "replicas" not in deployment["spec"], "the autoscaler owns the replica count"
    else:
        assert service.folder not in hpas
    budgets = [d for d in overlay.docs if d["kind"] == "PodDisruptionBudget"]
    labels = overlay.pod(deployment).labels
    assert any(
        all(labels.get(k) == v for k, v in b["spec"]["selector"]["matchLabels"].items())
        for b in budgets
    ), f"no PodDisruptionBudget covers {service.folder}"


def test_migration_job_runs_every_database_owner_with_its_service_env(overlay: Overlay) -> None:
    job = overlay.jobs["pitwall-migrate"]
    pod_spec = job["spec"]["template"]["spec"]
    assert pod_spec["securityContext"]["runAsNonRoot"] is True
    by_folder = {s.folder: s for s in services()}
    for folder in DB_OWNERS:
        service = by_folder[folder]
        step = overlay.container(pod_spec, service.short)
        assert step.spec["command"] == [
            "sh",
            "-c",
            f"python -m {service.module} migrate && python /app/grant_tables.py "
            f"{service.prefix} {service.module} pitwall_{service.short}",
        ]
        main = overlay.service_container(service)
        assert step.spec["image"] == main.spec["image"]
        # prod settings validate the service's secrets even to migrate; Redis is not needed
        needed = {n for n in main.from_secrets if not n.endswith("REDIS_URL")}
        assert needed - {"OPENAI_API_KEY"} <= step.from_secrets
    assert len(pod_spec["containers"]) == len(DB_OWNERS)


def test_only_the_gateway_has_an_ingress(overlay: Overlay) -> None:
    ingresses = [d for d in overlay.docs if d["kind"] == "Ingress"]
    backends = {
        path["backend"]["service"]["name"]
        for ingress in ingresses
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert backends == {"gateway"}
    exposed = [
        s
        for s in overlay.services.values()
        if s["spec"].get("type") in ("NodePort", "LoadBalancer")
    ]
    assert not exposed


def test_the_documented_secret_has_every_key_the_prod_pods_read() -> None:
    prod = next(p for p in OVERLAYS if p.name == "prod")
    referenced = {
        (ref["name"], ref["key"])
        for doc in render_overlay(prod)
        if doc["kind"] in ("Deployment", "Job", "StatefulSet")
        for container in doc["spec"]["template"]["spec"]["containers"]
        for item in container.get("env", [])
        if (ref := item.get("valueFrom", {}).get("secretKeyRef"))
    }
    docs = (REPO / "docs" / "deploy.md").read_text()
    for secret in ("pitwall-secrets", "pitwall-redis"):
        command = re.search(rf"create secret generic {secret} ((?:.*\\\n)*.*)", docs)
        assert command, f"docs/deploy.md does not say how to create {secret}"
        documented = set(re.findall(r"--from-literal=([\w-]+)=", command.group(1)))
        assert {key for name, key in referenced if name == secret} == documented, secret
