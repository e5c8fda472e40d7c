"""Prometheus metrics on a port of their own, which the ingress never routes to.

The gateway's main port is the public one; its counters (routes, upstream failures, refusals
by limit) are for operators only. With ``GATEWAY_METRICS_PORT`` set they are served there
alone; in prod without it they are not served at all.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from wsgiref.simple_server import WSGIServer

from prometheus_client import start_http_server

from pitwall_gateway.config import Settings


@dataclass
class MetricsListener:
    server: WSGIServer
    thread: threading.Thread

    @classmethod
    def start(cls, host: str, port: int) -> MetricsListener:
        server, thread = start_http_server(port, addr=host)
        return cls(server, thread)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def metrics_on_main_port(settings: Settings) -> bool:
    return settings.metrics_port is None and settings.environment != "prod"
