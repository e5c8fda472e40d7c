"""Every container of the stack up and healthy; the one-shot steps finished cleanly."""

from __future__ import annotations

import httpx

from tests.compose.stack import DATA, ONE_SHOTS, SERVICES, ComposeStack, docker


def test_every_service_and_store_is_healthy(stack: ComposeStack) -> None:
    assert {name: stack.health(name) for name in SERVICES + DATA} == dict.fromkeys(
        SERVICES + DATA, "healthy"
    )


def test_one_shot_steps_exited_zero(stack: ComposeStack) -> None:
    for name in ONE_SHOTS:
        ids = stack.compose("ps", "-a", "-q", name).split()
        assert ids, f"{name} never ran"
        state = docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", ids[0])
        assert state.strip() == "exited 0", name


def test_gateway_is_ready_with_every_upstream(client: httpx.Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.text


def test_only_the_gateway_is_published_and_only_on_loopback(stack: ComposeStack) -> None:
    published = {}
    for name in SERVICES + DATA:
        ports = stack.inspect(name)["NetworkSettings"]["Ports"] or {}
        bindings = [b for value in ports.values() if value for b in value]
        if bindings:
            published[name] = {(b["HostIp"], b["HostPort"]) for b in bindings}
    assert published == {
        "gateway": {("127.0.0.1", stack.settings["GATEWAY_PUBLISHED_PORT"])}
    }
