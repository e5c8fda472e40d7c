"""JSON log lines: the access line of each request, and secrets scrubbed whatever logged them."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import httpx
import orjson
import pytest
from asgi_lifespan import LifespanManager
from fastapi import APIRouter, FastAPI

from pitwall_shared.app import create_service_app
from pitwall_shared.auth_dependency import CurrentIdentity
from pitwall_shared.logs import (
    REDACTED,
    JsonFormatter,
    access_line_writer,
    configure_logging,
    redact,
)
from pitwall_shared.testing import TestSigner

JWT_LIKE = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c2VyLTcifQ.c2lnbmF0dXJlLWJ5dGVz"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("header was Authorization: Bearer abcdefgh12345678", "abcdefgh12345678"),
        (f"token {JWT_LIKE} refused", JWT_LIKE),
        ('body {"password": "correct-horse-battery"}', "correct-horse-battery"),
        ("body {'new_password': 'correct-horse-battery'}", "correct-horse-battery"),
        ("GET /x?refresh_token=r3fr3sh-v4lue&year=2024", "r3fr3sh-v4lue"),
        ("api_key=sk-12345678 and client_secret: s3cr3t-value", "s3cr3t-value"),
        ("Cookie: session=abc", "session=abc"),
    ],
)
def test_redact_scrubs_credentials_in_any_shape(text: str, secret: str):
    scrubbed = redact(text)
    assert secret not in scrubbed
    assert REDACTED in scrubbed


def test_redact_leaves_ordinary_text_alone():
    text = "GET /api/v1/telemetry/sessions/2024/Hungary/Q/laps 200 (token_type bearer)"
    assert redact(text) == text


def _line(record: logging.LogRecord) -> dict[str, object]:
    return dict(orjson.loads(JsonFormatter("svc").format(record)))


def test_formatter_hides_credential_fields_and_scrubs_exceptions():
    record = logging.makeLogRecord(
        {"name": "x", "levelno": logging.INFO, "levelname": "INFO", "msg": "signed in %s",
         "args": ("someone",), "refresh_token": "opaque-refresh-value", "user_id": "u-1"}
    )
    line = _line(record)
    assert line["msg"] == "signed in someone" and line["user_id"] == "u-1"
    assert line["refresh_token"] == REDACTED
    try:
        raise ValueError(f"bad header Bearer {JWT_LIKE}")
    except ValueError:
        failed = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed", None, exc_info=__import__("sys").exc_info()
        )
    text = JsonFormatter("svc").format(failed)
    assert JWT_LIKE not in text and "ValueError" in text


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Every record of the process as the services write them, into a buffer."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    configure_logging("svc", "WARNING")  # access lines are written whatever the level says
    buffer = io.StringIO()
    root.handlers[0].setStream(buffer)  # type: ignore[attr-defined]
    try:
        yield buffer
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
        logging.getLogger("pitwall.access").disabled = False


def _app(signer: TestSigner) -> FastAPI:
    router = APIRouter()

    @router.get("/api/v1/things/{thing_id}")
    async def thing(thing_id: str, identity: CurrentIdentity) -> dict[str, str]:
        return {"thing": thing_id, "owner": identity.user_id}

    app = create_service_app(service="svc", title="t", routers=[router])
    app.state.token_verifier = signer.verifier()
    return app


def _access_lines(buffer: io.StringIO) -> list[dict[str, object]]:
    lines = [orjson.loads(line) for line in buffer.getvalue().splitlines()]
    return [line for line in lines if line["logger"] == "pitwall.access"]


async def test_one_access_line_per_request_with_template_user_and_status(
    captured: io.StringIO,
):
    signer = TestSigner()
    token = signer.token(sub="user-7")
    app = _app(signer)
    async with LifespanManager(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://svc"
    ) as client:
        ok = await client.get(
            "/api/v1/things/42?secret=s3cr3t-query", headers={"Authorization": f"Bearer {token}"}
        )
        refused = await client.get("/api/v1/things/43", headers={"Authorization": "Bearer nope"})
        missing = await client.get("/nowhere")
    assert (ok.status_code, refused.status_code, missing.status_code) == (200, 401, 404)
    lines = _access_lines(captured)
    assert len(lines) == 3
    first, second, third = lines
    assert first["service"] == "svc" and first["level"] == "info" and first["msg"] == "access"
    assert first["method"] == "GET" and first["route"] == "/api/v1/things/{thing_id}"
    assert first["status"] == 200 and first["user_id"] == "user-7"
    assert first["request_id"] == ok.headers["x-request-id"]
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert first["client"] == "127.0.0.1"
    assert (second["status"], second["user_id"]) == (401, None)
    assert (third["route"], third["status"]) == ("unmatched", 404)
    everything = captured.getvalue()
    assert token not in everything and "s3cr3t-query" not in everything
    assert "/42" not in everything  # the template, not the raw path


async def test_access_lines_can_be_turned_off(captured: io.StringIO):
    configure_logging("svc", "INFO", access_log=False)
    logging.getLogger().handlers[0].setStream(captured)  # type: ignore[attr-defined]
    signer = TestSigner()
    app = _app(signer)
    async with LifespanManager(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://svc"
    ) as client:
        await client.get("/api/v1/things/1", headers={"Authorization": "Bearer nope"})
    assert _access_lines(captured) == []


async def test_in_a_service_process_access_lines_go_straight_to_the_stream_in_order(
    captured: io.StringIO,
):
    root = logging.getLogger()
    json_only, others = root.handlers[0], root.handlers[1:]
    # As in a service process: the JSON handler alone (the test run adds capture handlers).
    root.handlers[:] = [json_only]
    try:
        assert access_line_writer() is not None
        app = _app(TestSigner())
        async with LifespanManager(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://svc"
        ) as client:
            answers = [await client.get(f"/api/v1/things/{n}") for n in range(3)]
            answers.append(await client.get("/nowhere?password=hunter22"))
    finally:
        root.handlers[:] = [json_only, *others]
    # Flushed by the lifespan's end at the latest; one line per request, in request order.
    lines = _access_lines(captured)
    assert [line["request_id"] for line in lines] == [a.headers["x-request-id"] for a in answers]
    assert [(line["route"], line["status"]) for line in lines] == [
        ("/api/v1/things/{thing_id}", 401)] * 3 + [("unmatched", 404)]
    assert all(line["logger"] == "pitwall.access" and line["level"] == "info" for line in lines)
    assert "hunter22" not in captured.getvalue()


def test_the_direct_writer_steps_aside_while_another_handler_listens(captured: io.StringIO):
    assert access_line_writer() is None  # the test run's capture handler is on the root
