from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from pitwall_shared.testing import TestSigner
from pitwall_shared.testing_cache import fastf1_derived_cache
from pitwall_telemetry.config import Settings
from pitwall_telemetry.fastf1_setup import configure_offline
from pitwall_telemetry.main import create_app
from pitwall_telemetry.sample_pack import SAMPLE_DATA_DIR, frozen_http_dir

AppFactory = Callable[..., Any]


@pytest.fixture(scope="session")
def signer() -> TestSigner:
    # stands in for auth-svc, which is not under test here
    return TestSigner()


@pytest.fixture(scope="session")
def shared_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data dir for the run, so each frozen session is loaded through FastF1 once."""
    return tmp_path_factory.mktemp("telemetry-data")


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"PITWALL_DATA_DIR": data_dir, "offline": True,
                              "sample_dir": SAMPLE_DATA_DIR, "load_workers": 1,
                              "environment": "test", "warm_pool": False}
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def running_client(settings: Settings, signer: TestSigner
                         ) -> AsyncIterator[tuple[httpx.AsyncClient, FastAPI]]:
    app = create_app(settings)
    app.state.token_verifier = signer.verifier()
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": f"Bearer {signer.token()}"}
        async with httpx.AsyncClient(transport=transport, base_url="http://telemetry",
                                     headers=headers, timeout=120) as client:
            yield client, app


@pytest.fixture
async def client(shared_data_dir: Path, signer: TestSigner) -> AsyncIterator[httpx.AsyncClient]:
    async with running_client(make_settings(shared_data_dir), signer) as (http, _app):
        yield http


@pytest.fixture
async def fresh(tmp_path: Path, signer: TestSigner
                ) -> AsyncIterator[tuple[httpx.AsyncClient, FastAPI]]:
    """An app with an empty snapshot dir of its own (the sample pack still read-only)."""
    async with running_client(make_settings(tmp_path, fastf1_cache_dir_override=None),
                              signer) as pair:
        yield pair


@pytest.fixture(scope="session")
def fastf1_reference() -> Iterator[Callable[..., Any]]:
    """FastF1 itself, in the test process, over the frozen responses of the sample pack: the
    reference the service's answers are compared with. Loads are memoized for the run, and
    FastF1's cache is kept between runs while the frozen responses stay the same."""
    import fastf1

    frozen = frozen_http_dir(SAMPLE_DATA_DIR)
    configure_offline(frozen, fastf1_derived_cache("telemetry-fastf1-reference", [frozen]))
    loaded: dict[tuple[int, str, str], Any] = {}

    def load(year: int, event: str, code: str) -> Any:
        if (year, event, code) not in loaded:
            session = fastf1.get_session(year, event, code)
            session.load(laps=True, telemetry=False, weather=True, messages=True)
            loaded[(year, event, code)] = session
        return loaded[(year, event, code)]

    yield load


@pytest.fixture
def unbuilt_sample(tmp_path: Path) -> Path:
    """A sample pack without the prebuilt Hungary snapshot: the raw export and frozen
    responses are there, so the service must build the snapshot itself."""
    sample = tmp_path / "sample"
    (sample / "snapshots").mkdir(parents=True)
    (sample / "raw").symlink_to(SAMPLE_DATA_DIR / "raw")
    (sample / "fastf1-http").symlink_to(SAMPLE_DATA_DIR / "fastf1-http")
    shutil.copytree(SAMPLE_DATA_DIR / "snapshots" / "schedules", sample / "snapshots" / "schedules")
    return sample
