"""What the ingress exposes, read from every rendered overlay (``kubectl kustomize``).

The gateway's /metrics (routes, refusals by limit, upstream failures) is for operators: it is
served only on the gateway's metrics port, which no Service, no ingress rule and no network
policy opens. The other services are scraped on their own pods, which the ingress never routes
to. Client addresses are believed only from the ingress controller's own range.
"""

from __future__ import annotations

import ipaddress

import pytest

from tests.deploy.k8s_view import Overlay
from tests.deploy.netpol import Pod, connection_allowed
from tests.deploy.sources import OVERLAYS, kubectl_available, render_overlay, services

pytestmark = pytest.mark.skipif(not kubectl_available(), reason="kubectl is not installed")

OUTSIDE = Pod("ingress-controller", "ingress-nginx", {"app.kubernetes.io/name": "ingress-nginx"})


class ScraperPod(Pod):
    """Prometheus, in the namespace the policies let scrape metrics."""

    @property
    def namespace_labels(self) -> dict[str, str]:
        return {**super().namespace_labels, "pitwall.io/metrics-scraper": "true"}


SCRAPER = ScraperPod("prometheus", "monitoring", {"app.kubernetes.io/name": "prometheus"})
GATEWAY = next(s for s in services() if s.folder == "gateway")


@pytest.fixture(scope="module", params=OVERLAYS, ids=lambda p: p.name)
def overlay(request: pytest.FixtureRequest) -> Overlay:
    return Overlay(request.param.name, render_overlay(request.param))


def _container_ports(overlay: Overlay) -> dict[str, int]:
    spec = overlay.service_container(GATEWAY).spec
    return {port["name"]: int(port["containerPort"]) for port in spec["ports"]}


def test_metrics_have_their_own_port(overlay: Overlay) -> None:
    env = overlay.service_container(GATEWAY).env
    ports = _container_ports(overlay)
    assert int(env["GATEWAY_PORT"]) == ports["http"]
    assert int(env["GATEWAY_METRICS_PORT"]) == ports["metrics"]
    assert ports["metrics"] != ports["http"]


def test_the_ingress_routes_only_to_the_http_port(overlay: Overlay) -> None:
    ports = _container_ports(overlay)
    (service,) = [overlay.services["gateway"]]
    # The Service maps only the http port, so nothing can name the metrics port through it.
    assert [(p["name"], p["targetPort"]) for p in service["spec"]["ports"]] == [("http", "http")]
    service_ports = {p["name"]: int(p["port"]) for p in service["spec"]["ports"]}
    backends = [
        path["backend"]["service"]
        for ingress in (d for d in overlay.docs if d["kind"] == "Ingress")
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    ]
    assert backends
    for backend in backends:
        assert backend["name"] == "gateway"
        port = backend["port"]
        assert port.get("name") == "http" or port.get("number") == service_ports["http"]
        assert port.get("number") != ports["metrics"]


def test_network_policy_opens_the_metrics_port_only_to_the_scraper(overlay: Overlay) -> None:
    target = overlay.pod(overlay.deployments["gateway"])
    ports = _container_ports(overlay)
    assert connection_allowed(overlay.policies, OUTSIDE, target, ports["http"])
    assert not connection_allowed(overlay.policies, OUTSIDE, target, ports["metrics"])
    assert connection_allowed(overlay.policies, SCRAPER, target, ports["metrics"])


def test_forwarded_for_is_trusted_only_from_a_narrow_range(overlay: Overlay) -> None:
    value = overlay.service_container(GATEWAY).env.get("GATEWAY_TRUSTED_PROXIES", "")
    networks = [ipaddress.ip_network(n.strip()) for n in value.split(",") if n.strip()]
    if overlay.name == "prod":
        assert networks, "prod names its ingress controller's addresses"
    for network in networks:
        # A /8 or /16 would let any pod in the cluster pose as any client.
        assert network.prefixlen >= (24 if network.version == 4 else 112), network


def test_every_service_is_scraped_on_its_pod_and_never_through_the_ingress(
    overlay: Overlay,
) -> None:
    for service in services():
        deployment = overlay.deployments[service.folder]
        annotations = deployment["spec"]["template"]["metadata"].get("annotations", {})
        assert annotations.get("prometheus.io/scrape") == "true", service.folder
        assert annotations.get("prometheus.io/path") == "/metrics", service.folder
        port = int(annotations["prometheus.io/port"])
        spec = overlay.service_container(service).spec
        declared = {int(p["containerPort"]) for p in spec["ports"]}
        assert port in declared, service.folder
        target = overlay.pod(deployment)
        assert connection_allowed(overlay.policies, SCRAPER, target, port), service.folder
        if service.folder != "gateway":  # its http port is the public one; /metrics is not on it
            assert not connection_allowed(overlay.policies, OUTSIDE, target, port), service.folder
