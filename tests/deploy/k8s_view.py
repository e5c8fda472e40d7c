"""Read a rendered overlay the way the cluster would: pods, their environment, their mounts."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from tests.deploy.netpol import Pod
from tests.deploy.sources import Service, by_kind


@dataclass
class ContainerView:
    env: dict[str, str]
    from_secrets: set[str]
    from_config: set[str]
    spec: dict[str, Any]
    pod_spec: dict[str, Any]

    def mounts(self) -> dict[str, dict[str, Any]]:
        """mountPath -> the volume mounted there, with the mount's readOnly flag."""
        volumes = {v["name"]: v for v in self.pod_spec.get("volumes", [])}
        return {
            m["mountPath"]: volumes[m["name"]] | {"readOnly": m.get("readOnly", False)}
            for m in self.spec.get("volumeMounts", [])
        }


class Overlay:
    def __init__(self, name: str, docs: tuple[dict[str, Any], ...]) -> None:
        self.name = name
        self.docs = docs
        self.config_maps = by_kind(docs, "ConfigMap")
        self.secrets = by_kind(docs, "Secret")
        self.deployments = by_kind(docs, "Deployment")
        self.stateful_sets = by_kind(docs, "StatefulSet")
        self.services = by_kind(docs, "Service")
        self.jobs = by_kind(docs, "Job")
        self.policies = [d for d in docs if d["kind"] == "NetworkPolicy"]

    def container(self, pod_spec: dict[str, Any], name: str) -> ContainerView:
        (spec,) = [c for c in pod_spec["containers"] if c["name"] == name]
        env: dict[str, str] = {}
        from_secrets: set[str] = set()
        from_config: set[str] = set()
        for source in spec.get("envFrom", []):
            data = self.config_maps[source["configMapRef"]["name"]]["data"]
            env.update(data)
            from_config.update(data)
        for item in spec.get("env", []):
            if "value" in item:
                env[item["name"]] = item["value"]
                from_config.add(item["name"])
                continue
            ref = item["valueFrom"]["secretKeyRef"]
            from_secrets.add(item["name"])
            secret = self.secrets.get(ref["name"])
            if secret is not None:
                assert ref["key"] in secret["data"] or ref.get("optional"), (
                    f"{self.name}: secret {ref['name']} lacks key {ref['key']}"
                )
                raw = secret["data"].get(ref["key"])
                env[item["name"]] = base64.b64decode(raw).decode() if raw else ""
            else:  # created out of band (prod): the value is not ours to see
                env[item["name"]] = f"<secret {ref['name']}/{ref['key']}>"
        return ContainerView(env, from_secrets, from_config, spec, pod_spec)

    def service_container(self, service: Service) -> ContainerView:
        pod_spec = self.deployments[service.folder]["spec"]["template"]["spec"]
        return self.container(pod_spec, service.folder)

    def pod(self, workload: dict[str, Any]) -> Pod:
        return Pod(
            workload["metadata"]["name"],
            workload["metadata"]["namespace"],
            workload["spec"]["template"]["metadata"]["labels"],
        )

    def pod_behind(self, service_name: str) -> Pod | None:
        """The pod a Service routes to; None for a Service outside the cluster."""
        service = self.services[service_name]
        selector = service["spec"].get("selector")
        if not selector:
            return None
        for workload in [*self.deployments.values(), *self.stateful_sets.values()]:
            labels = workload["spec"]["template"]["metadata"]["labels"]
            if all(labels.get(k) == v for k, v in selector.items()):
                return self.pod(workload)
        raise AssertionError(f"{self.name}: Service {service_name} selects no pods")

    def service_port(self, service_name: str) -> int:
        (port,) = self.services[service_name]["spec"]["ports"]
        return int(port["port"])
