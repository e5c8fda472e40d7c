"""End-to-end fixtures: one real stack (five processes on free loopback ports) per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from scripts.stack import Stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data_dir: Path = tmp_path_factory.mktemp("stack")
    with Stack.start(data_dir) as running:
        yield running


@pytest.fixture(scope="module")
def gateway(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.url("gateway"), timeout=60) as client:
        yield client
