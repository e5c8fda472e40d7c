"""Retries on 503 honour Retry-After, are bounded, and only apply to idempotent calls.

The server here is a small HTTP server on 127.0.0.1 standing in for the gateway: a real
gateway answers 503 only while a session loads or a service is down, which cannot be made
to happen on cue. The client's sleeps are recorded instead of slept.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pitwall_client import Pitwall, RetryPolicy, Unavailable
from pitwall_client import drivers as drivers_module


class Script:
    """Answers per request: each a (status, Retry-After or None)."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, str | None]] = []
        self.seen: list[tuple[str, str]] = []


def _server(script: Script) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.seen_request()
            status, retry_after = script.answers.pop(0) if script.answers else (200, None)
            if status == 200:
                body = json.dumps([{"round": 1, "event_name": "Bahrain Grand Prix"}]).encode()
                content_type = "application/json"
            else:
                body = json.dumps({"type": "https://pitwall.dev/problems/session-loading",
                                   "title": "Service Unavailable", "status": status,
                                   "detail": "2024 Bahrain R is loading", "request_id": "r1"
                                   }).encode()
                content_type = "application/problem+json"
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if retry_after is not None:
                self.send_header("Retry-After", retry_after)
            self.end_headers()
            self.wfile.write(body)

        def seen_request(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            script.seen.append((self.command, self.path))

        do_GET = _answer
        do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


@pytest.fixture()
def stand_in() -> Iterator[tuple[str, Script]]:
    script = Script()
    server = _server(script)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", script
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    recorded: list[float] = []
    monkeypatch.setattr(drivers_module.time, "sleep", recorded.append)
    return recorded


def test_get_retried_after_the_asked_wait(stand_in: tuple[str, Script],
                                          sleeps: list[float]) -> None:
    url, script = stand_in
    script.answers = [(503, "3"), (503, "1")]
    with Pitwall(url, token="t") as client:
        schedule = client.schedule(2024)
    assert schedule["event_name"].tolist() == ["Bahrain Grand Prix"]
    assert sleeps == [3.0, 1.0]
    assert len(script.seen) == 3


def test_retries_are_bounded_and_end_in_a_typed_error(stand_in: tuple[str, Script],
                                                      sleeps: list[float]) -> None:
    url, script = stand_in
    script.answers = [(503, "1000")] * 10
    client = Pitwall(url, token="t", retry=RetryPolicy(attempts=3, max_wait_s=5))
    with client, pytest.raises(Unavailable) as err:
        client.schedule(2024)
    assert len(script.seen) == 3
    assert sleeps == [5.0, 5.0]  # Retry-After capped
    assert err.value.retry_after == 1000.0
    assert err.value.slug == "session-loading" and err.value.request_id == "r1"


def test_post_is_not_retried(stand_in: tuple[str, Script], sleeps: list[float]) -> None:
    url, script = stand_in
    script.answers = [(503, "1")]
    with Pitwall(url, token="t") as client, pytest.raises(Unavailable):
        client.create_report(2024, "Hungary", "Q", ["NOR", "PIA"])
    assert script.seen == [("POST", "/api/v1/reports")]
    assert sleeps == []
