"""NetworkPolicies against the call graph the services' own URL settings describe.

Every ``*_URL`` a pod is configured with (ConfigMaps, and the database URLs in the dev
overlay's Secret) must be reachable; every other service port must not be, and from outside
the namespace only the gateway answers.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.deploy.k8s_view import Overlay
from tests.deploy.netpol import Pod, connection_allowed, egress_to_outside_allowed
from tests.deploy.sources import (
    OVERLAYS,
    Service,
    kubectl_available,
    render_overlay,
    services,
)

pytestmark = pytest.mark.skipif(not kubectl_available(), reason="kubectl is not installed")

OUTSIDE = Pod("ingress-controller", "ingress-nginx", {"app.kubernetes.io/name": "ingress-nginx"})


@pytest.fixture(scope="module", params=OVERLAYS, ids=lambda p: p.name)
def overlay(request: pytest.FixtureRequest) -> Overlay:
    return Overlay(request.param.name, render_overlay(request.param))


def _dev_env(service: Service) -> dict[str, str]:
    dev = next(p for p in OVERLAYS if p.name == "dev")
    return Overlay(dev.name, render_overlay(dev)).service_container(service).env


def _calls(overlay: Overlay) -> set[tuple[str, str, int]]:
    """(caller Deployment, callee Service, port) for every in-cluster URL a service uses.

    URLs with credentials (database, Redis) live in Secrets that only the dev overlay
    generates; other overlays reference the same keys (docs/deploy.md), so their hosts are
    read from the dev overlay's values."""
    calls = set()
    for service in services():
        env = overlay.service_container(service).env
        generated = _dev_env(service)
        for name, value in env.items():
            if value.startswith("<secret "):
                value = generated.get(name, value)
            if not name.endswith("_URL") or "://" not in value:
                continue
            url = urlsplit(value)
            # auth-svc reads its own keys in-process; the shared JWKS_URL is for the others.
            if url.hostname in overlay.services and url.port and url.hostname != service.folder:
                calls.add((service.folder, url.hostname, url.port))
    return calls


def test_policies_are_enforced_by_default_deny(overlay: Overlay) -> None:
    deny = [p for p in overlay.policies if p["metadata"]["name"] == "default-deny"]
    assert len(deny) == 1
    spec = deny[0]["spec"]
    assert spec["podSelector"] == {} and sorted(spec["policyTypes"]) == ["Egress", "Ingress"]
    assert "ingress" not in spec and "egress" not in spec


def test_every_configured_call_is_allowed(overlay: Overlay) -> None:
    calls = _calls(overlay)
    # the gateway's four upstreams and its Redis are among them, not assumed
    assert ("gateway", "redis", 6379) in calls
    assert {callee for caller, callee, _ in calls if caller == "gateway"} >= {
        "auth-svc",
        "telemetry-svc",
        "analysis-svc",
        "report-svc",
    }
    for caller, callee, port in calls:
        target = overlay.pod_behind(callee)
        if target is None:
            continue  # outside the cluster (managed MySQL): checked below
        source = overlay.pod(overlay.deployments[caller])
        assert connection_allowed(overlay.policies, source, target, port), (
            f"{overlay.name}: {caller} cannot reach {callee}:{port}"
        )


def test_calls_nobody_configured_are_denied(overlay: Overlay) -> None:
    calls = {(caller, callee) for caller, callee, _ in _calls(overlay)}
    for caller in services():
        source = overlay.pod(overlay.deployments[caller.folder])
        for callee in services():
            if caller == callee or (caller.folder, callee.folder) in calls:
                continue
            target = overlay.pod(overlay.deployments[callee.folder])
            assert not connection_allowed(overlay.policies, source, target, callee.port), (
                f"{overlay.name}: {caller.folder} may call {callee.folder} but never does"
            )


def test_from_outside_only_the_gateway_answers(overlay: Overlay) -> None:
    for service in services():
        target = overlay.pod(overlay.deployments[service.folder])
        reachable = connection_allowed(overlay.policies, OUTSIDE, target, service.port)
        assert reachable == (service.folder == "gateway"), service.folder
    for name in ("redis", "mysql"):
        target = overlay.pod_behind(name) if name in overlay.services else None
        if target is not None:
            port = overlay.service_port(name)
            assert not connection_allowed(overlay.policies, OUTSIDE, target, port), name


def test_database_clients_reach_mysql_and_nothing_else_does(overlay: Overlay) -> None:
    mysql = overlay.pod_behind("mysql")
    migrate = overlay.pod(overlay.jobs["pitwall-migrate"])
    owners = [
        overlay.pod(overlay.deployments[f]) for f in ("auth-svc", "analysis-svc", "report-svc")
    ]
    others = [overlay.pod(overlay.deployments[f]) for f in ("gateway", "telemetry-svc")]
    if mysql is None:  # a managed database: egress on 3306 leaves the cluster
        assert all(egress_to_outside_allowed(overlay.policies, p, 3306) for p in owners)
        assert not any(egress_to_outside_allowed(overlay.policies, p, 3306) for p in others)
        return
    for pod in [*owners, migrate]:
        assert connection_allowed(overlay.policies, pod, mysql, 3306), pod.name
    for pod in others:
        assert not connection_allowed(overlay.policies, pod, mysql, 3306), pod.name


def test_only_telemetry_and_analysis_reach_the_internet(overlay: Overlay) -> None:
    for service in services():
        pod = overlay.pod(overlay.deployments[service.folder])
        allowed = egress_to_outside_allowed(overlay.policies, pod, 443)
        assert allowed == (service.folder in ("telemetry-svc", "analysis-svc")), service.folder


def _policy(name: str, selector: dict[str, str], **rules: object) -> dict[str, object]:
    types = [t for t, key in (("Ingress", "ingress"), ("Egress", "egress")) if key in rules]
    spec = {"podSelector": {"matchLabels": selector}, "policyTypes": types, **rules}
    return {"kind": "NetworkPolicy", "metadata": {"name": name, "namespace": "ns"}, "spec": spec}


def test_evaluator_needs_both_ends_and_the_right_port() -> None:
    a = Pod("a", "ns", {"app": "a"})
    b = Pod("b", "ns", {"app": "b"})
    deny = {
        "kind": "NetworkPolicy",
        "metadata": {"name": "deny", "namespace": "ns"},
        "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
    }
    to_b = {"to": [{"podSelector": {"matchLabels": {"app": "b"}}}], "ports": [{"port": 80}]}
    from_a = {"from": [{"podSelector": {"matchLabels": {"app": "a"}}}], "ports": [{"port": 80}]}
    assert connection_allowed([], a, b, 80), "no policy: open"
    assert not connection_allowed([deny], a, b, 80)
    egress_only = [deny, _policy("a", {"app": "a"}, egress=[to_b])]
    assert not connection_allowed(egress_only, a, b, 80), "b's ingress still denies"
    both = [*egress_only, _policy("b", {"app": "b"}, ingress=[from_a])]
    assert connection_allowed(both, a, b, 80)
    assert not connection_allowed(both, a, b, 81)
    assert not connection_allowed(both, b, a, 80), "policies are directional"
    assert not connection_allowed(both, OUTSIDE, b, 80), "pod selectors stay in the namespace"
