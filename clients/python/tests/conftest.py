"""One real Pitwall stack (five service processes on free loopback ports) for the session,
and a signed-up user; the client, CLI and notebook tests all talk to it through the gateway."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from pitwall_client import Pitwall
from scripts.stack import Stack


@dataclass(frozen=True)
class Account:
    url: str
    email: str
    password: str


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with contextlib.ExitStack() as exits:
        for attempt in (1, 2):
            try:
                running = exits.enter_context(Stack.start(tmp_path_factory.mktemp("client-stack")))
                break
            except RuntimeError as error:
                # A free port is picked, released, then bound by the service: on a busy
                # machine another process can take it in between. One fresh start then.
                if attempt == 2 or "address already in use" not in str(error):
                    raise
        yield running


def new_account(url: str, name: str = "client") -> Account:
    email = f"{name}-{secrets.token_hex(4)}@example.com"
    password = f"Pw-{secrets.token_urlsafe(12)}"
    created = httpx.post(f"{url}/api/v1/auth/register", timeout=30,
                         json={"email": email, "password": password, "display_name": name})
    assert created.status_code == 201, created.text
    return Account(url, email, password)


@pytest.fixture(scope="session")
def make_account(stack: Stack) -> Callable[[str], Account]:
    """Signs up a new user on the stack (for tests that end or race a sign-in)."""
    return lambda name: new_account(stack.url("gateway"), name)


@pytest.fixture(scope="session")
def account(make_account: Callable[[str], Account]) -> Account:
    return make_account("client")


@pytest.fixture(scope="session")
def pitwall(account: Account) -> Iterator[Pitwall]:
    with Pitwall(account.url, email=account.email, password=account.password) as client:
        yield client


@pytest.fixture()
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "config" / "pitwall"
    monkeypatch.setenv("PITWALL_CONFIG_DIR", str(directory))
    return directory
