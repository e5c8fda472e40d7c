from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

import pitwall_telemetry
from pitwall_analysis.migrate import migrate
from pitwall_shared.testing import MigratedDatabase, temporary_database_url
from pitwall_shared.testing_cache import fastf1_derived_cache
from pitwall_telemetry.sample_pack import SAMPLE_DATA_DIR, frozen_http_dir

from .model_server import ScriptedModelServer
from .upstream import Services, running_services


@pytest.fixture(scope="session")
def telemetry_data_dir() -> Path:
    """telemetry-svc's data dir (its snapshot store), the upstream's and not under test here:
    each frozen session is loaded through FastF1 once, and kept between runs while the sample
    pack and telemetry-svc's code stay the same."""
    return fastf1_derived_cache("analysis-telemetry-store",
                                [SAMPLE_DATA_DIR, Path(pitwall_telemetry.__file__).parent])


@pytest.fixture(scope="session")
def ff1_cache() -> Path:
    """FastF1's own cache for the reference values (``fastf1_reference``), one per process
    (``fastf1_reference.load`` memoizes by it: each session is loaded once, not once per
    module) and kept between runs while the frozen responses stay the same."""
    frozen = frozen_http_dir(SAMPLE_DATA_DIR)
    return fastf1_derived_cache("analysis-fastf1-reference", [frozen])


@pytest.fixture(scope="module")
def module_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with temporary_database_url(tmp_path_factory.mktemp("db")) as url:
        migrate(url)
        yield url


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedDatabase]:
    """Created and migrated once per test process; each test gets it emptied."""
    with MigratedDatabase(tmp_path_factory.mktemp("analysis-db"), migrate) as database:
        yield database


@pytest.fixture
def database_url(migrated_database: MigratedDatabase) -> str:
    """The migrated schema with no rows, as a freshly created and migrated database has."""
    return migrated_database.emptied()


@pytest.fixture
async def model_server() -> AsyncIterator[ScriptedModelServer]:
    async with ScriptedModelServer.running() as server:
        yield server


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def deterministic_services(telemetry_data_dir: Path,
                                 module_database: str) -> AsyncIterator[Services]:
    """analysis-svc without a model (the deterministic writer) over the real telemetry-svc,
    one per test module."""
    async with running_services(telemetry_data_dir, module_database,
                                openai_api_key=None) as running:
        yield running
