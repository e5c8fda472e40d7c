"""A small NetworkPolicy evaluator: may this pod open a TCP connection to that pod's port?

It follows the Kubernetes semantics the manifests rely on: a pod selected by no policy of a
direction is open in that direction; once selected, only rules of the selecting policies
allow traffic; a connection needs the sender's egress and the receiver's ingress. Selectors
are matchLabels only (the manifests use nothing else, and this is asserted). ipBlock peers
never match pods: in-cluster traffic is judged by labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Pod:
    name: str
    namespace: str
    labels: dict[str, str] = field(hash=False)

    @property
    def namespace_labels(self) -> dict[str, str]:
        return {"kubernetes.io/metadata.name": self.namespace}


def _selects(selector: dict[str, Any] | None, labels: dict[str, str]) -> bool:
    if selector is None:
        return False
    assert "matchExpressions" not in selector, "evaluator handles matchLabels only"
    return all(labels.get(k) == v for k, v in (selector.get("matchLabels") or {}).items())


def _peer_matches(peer: dict[str, Any], pod: Pod, policy_namespace: str) -> bool:
    if "ipBlock" in peer:
        return False
    namespaces = peer.get("namespaceSelector")
    if namespaces is None:
        if pod.namespace != policy_namespace:
            return False
    elif not _selects(namespaces, pod.namespace_labels):
        return False
    pods = peer.get("podSelector")
    return pods is None or _selects(pods, pod.labels)


def _port_allowed(rule: dict[str, Any], port: int) -> bool:
    ports = rule.get("ports")
    return not ports or any(
        p.get("port") == port and p.get("protocol", "TCP") == "TCP" for p in ports
    )


def _policy_types(policy: dict[str, Any]) -> list[str]:
    spec = policy["spec"]
    return list(spec.get("policyTypes") or (["Ingress"] + (["Egress"] if "egress" in spec else [])))


def _direction_allows(
    policies: list[dict[str, Any]], subject: Pod, peer: Pod, port: int, kind: str
) -> bool:
    rules_key, peers_key = ("egress", "to") if kind == "Egress" else ("ingress", "from")
    selecting = [
        p
        for p in policies
        if p["metadata"].get("namespace") == subject.namespace
        and _selects(p["spec"]["podSelector"], subject.labels)
        and kind in _policy_types(p)
    ]
    if not selecting:
        return True
    for policy in selecting:
        for rule in policy["spec"].get(rules_key) or []:
            peers = rule.get(peers_key)
            peer_ok = not peers or any(
                _peer_matches(candidate, peer, policy["metadata"].get("namespace", ""))
                for candidate in peers
            )
            if peer_ok and _port_allowed(rule, port):
                return True
    return False


def connection_allowed(policies: list[dict[str, Any]], source: Pod, target: Pod, port: int) -> bool:
    # Ingress rules name the pod's port; every Service here maps port to the same number.
    return _direction_allows(policies, source, target, port, "Egress") and _direction_allows(
        policies, target, source, port, "Ingress"
    )


def egress_to_outside_allowed(policies: list[dict[str, Any]], source: Pod, port: int) -> bool:
    """Whether some ipBlock egress rule lets ``source`` open ``port`` outside the cluster."""
    selecting = [
        p
        for p in policies
        if p["metadata"].get("namespace") == source.namespace
        and _selects(p["spec"]["podSelector"], source.labels)
        and "Egress" in _policy_types(p)
    ]
    if not selecting:
        return True
    return any(
        _port_allowed(rule, port) and any("ipBlock" in peer for peer in rule.get("to") or [])
        for policy in selecting
        for rule in policy["spec"].get("egress") or []
    )
