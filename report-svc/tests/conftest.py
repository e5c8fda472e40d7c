"""Fixtures: one set of real upstreams and one report-svc per test module (starting the
render worker processes and the upstream apps once keeps the suite quick), and one
telemetry-svc store (each fixture session is loaded with FastF1 once, by the first module
that asks for it, and served from its snapshot to the modules and runs after)."""

from __future__ import annotations

import multiprocessing.forkserver
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

import pitwall_telemetry
from pitwall_analysis.migrate import migrate as migrate_analysis
from pitwall_report.migrate import migrate
from pitwall_shared.testing import MigratedDatabase, TestSigner
from pitwall_shared.testing_cache import fastf1_derived_cache
from pitwall_telemetry.sample_pack import SAMPLE_DATA_DIR

from .auth_standin import AuthStandIn
from .harness import UpstreamApps, report_settings, running_report, running_upstreams


@dataclass
class Stack:
    signer: TestSigner
    auth: AuthStandIn
    upstreams: UpstreamApps
    app: FastAPI
    client: httpx.AsyncClient
    report_database_url: str
    output_dir: Path
    tmp: Path

    async def telemetry_json(self, path: str, headers: dict[str, str]) -> Any:
        """Ask telemetry-svc directly (to compare what a chart shows with the source)."""
        return await _get_json(self.upstreams.telemetry, path, headers)

    async def analysis_json(self, path: str, headers: dict[str, str]) -> Any:
        """Ask analysis-svc directly (to compare a chart or a PDF with the facts)."""
        return await _get_json(self.upstreams.analysis, path, headers)


async def _get_json(app: FastAPI, path: str, headers: dict[str, str]) -> Any:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://u",
                                 timeout=120) as client:
        response = await client.get(path, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="session", autouse=True)
def _forkserver_stopped_at_exit() -> Iterator[None]:
    """The render workers' fork server is stopped and reaped before the process ends, so
    its CPU time (and its workers') counts towards this test process's, not to nobody."""
    yield
    stop = getattr(multiprocessing.forkserver._forkserver, "_stop", None)
    if stop is not None:
        stop()


@pytest.fixture(scope="session")
def telemetry_data_dir() -> Path:
    """telemetry-svc's data directory (snapshot store, FastF1 cache), kept between runs while
    the sample pack and telemetry-svc's code stay the same. The suite's parts run at once
    and share it, as telemetry-svc replicas share a store."""
    return fastf1_derived_cache("report-telemetry-store",
                                [SAMPLE_DATA_DIR, Path(pitwall_telemetry.__file__).parent])


@pytest.fixture(scope="module")
def module_tmp(tmp_path_factory: pytest.TempPathFactory, telemetry_data_dir: Path) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    # running_upstreams keeps telemetry-svc's data under tmp / "telemetry": the shared store.
    (tmp / "telemetry").symlink_to(telemetry_data_dir, target_is_directory=True)
    return tmp


@pytest.fixture(scope="session")
def migrated_databases(tmp_path_factory: pytest.TempPathFactory
                       ) -> Iterator[tuple[MigratedDatabase, MigratedDatabase]]:
    """report-svc's and analysis-svc's databases, created and migrated once per process."""
    tmp = tmp_path_factory.mktemp("databases")
    with (MigratedDatabase(tmp / "r", migrate) as report,
          MigratedDatabase(tmp / "a", migrate_analysis) as analysis):
        yield report, analysis


@pytest.fixture(scope="module")
def database_urls(migrated_databases: tuple[MigratedDatabase, MigratedDatabase]
                  ) -> tuple[str, str]:
    """Each module's stack starts on the migrated schemas with no rows."""
    report, analysis = migrated_databases
    return report.emptied(), analysis.emptied()


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def stack(module_tmp: Path, database_urls: tuple[str, str]) -> AsyncIterator[Stack]:
    report_url, analysis_url = database_urls
    signer = TestSigner()
    async with (
        AuthStandIn(signer).running() as auth,
        running_upstreams(module_tmp, signer, analysis_url) as upstreams,
    ):
        output_dir = module_tmp / "reports"
        settings = report_settings(report_url, output_dir, auth)
        async with running_report(settings, upstreams, signer) as (app, client):
            yield Stack(signer, auth, upstreams, app, client, report_url, output_dir, module_tmp)
