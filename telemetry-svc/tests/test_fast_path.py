"""A repeated URL is answered by the memoized-response fast path with exactly what the route
answered the first time, and only while the route would still answer the same."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

import pitwall_telemetry.api.laps as laps_api
from pitwall_shared.testing import TestSigner
from pitwall_telemetry.services.catalog import Catalog

from .conftest import make_settings, running_client

LAP = "/api/v1/telemetry/sessions/2024/Hungary/Q/laps/NOR/fastest/telemetry"
COMPARED_HEADERS = ("content-type", "content-length", "etag", "cache-control")


@pytest.fixture
def route_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts how often the lap routes build or look up a response themselves."""
    calls: list[str] = []
    real: Callable[..., Any] = laps_api.memoized_json

    def counting(request: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(request.url.path)
        return real(request, *args, **kwargs)

    monkeypatch.setattr(laps_api, "memoized_json", counting)
    return calls


@pytest.fixture
async def served(shared_data_dir: Path, signer: TestSigner):  # type: ignore[no-untyped-def]
    async with running_client(make_settings(shared_data_dir), signer) as pair:
        yield pair


async def test_repeat_gets_the_same_bytes_and_headers_without_the_route(
        served: tuple[httpx.AsyncClient, FastAPI], route_calls: list[str]):
    client, _app = served
    first = await client.get(LAP)
    assert first.status_code == 200 and route_calls == [LAP]
    for _ in range(3):
        again = await client.get(LAP)
        assert again.status_code == 200
        assert again.content == first.content
        assert {h: again.headers[h] for h in COMPARED_HEADERS} == \
            {h: first.headers[h] for h in COMPARED_HEADERS}
        assert again.headers["x-request-id"] != first.headers["x-request-id"]
    assert route_calls == [LAP]  # the three repeats never reached the route


async def test_conditional_repeat_gets_304_from_the_fast_path(
        served: tuple[httpx.AsyncClient, FastAPI], route_calls: list[str]):
    client, _app = served
    first = await client.get(LAP)
    revalidated = await client.get(LAP, headers={"If-None-Match": first.headers["etag"]})
    assert revalidated.status_code == 304 and revalidated.content == b""
    assert revalidated.headers["etag"] == first.headers["etag"]
    assert revalidated.headers["cache-control"] == first.headers["cache-control"]
    stale_tag = await client.get(LAP, headers={"If-None-Match": '"something-else"'})
    assert stale_tag.status_code == 200 and stale_tag.content == first.content
    assert route_calls == [LAP]


async def test_other_query_is_not_answered_with_this_urls_bytes(
        served: tuple[httpx.AsyncClient, FastAPI], route_calls: list[str]):
    client, _app = served
    default = await client.get(LAP)
    fewer = await client.get(LAP, params={"points": "50"})
    assert fewer.json()["points"] == 50 and default.json()["points"] == 300
    assert route_calls == [LAP, LAP]


async def test_unknown_or_missing_token_goes_to_the_route_and_is_refused(
        served: tuple[httpx.AsyncClient, FastAPI], signer: TestSigner, route_calls: list[str]):
    client, _app = served
    assert (await client.get(LAP)).status_code == 200
    foreign = TestSigner().token()  # signed by a key the service does not trust
    for headers in ({"Authorization": f"Bearer {foreign}"}, {"Authorization": "Basic abc"},
                    {"Authorization": ""}):
        refused = await client.get(LAP, headers=headers)
        assert refused.status_code == 401
        assert refused.headers["content-type"] == "application/problem+json"
    # A good token the service has not seen yet is verified by the route once, then known.
    newcomer = {"Authorization": f"Bearer {signer.token(sub='newcomer')}"}
    assert (await client.get(LAP, headers=newcomer)).status_code == 200
    assert (await client.get(LAP, headers=newcomer)).status_code == 200
    assert route_calls == [LAP, LAP]


async def test_evicted_body_or_moved_snapshot_goes_back_to_the_route(
        served: tuple[httpx.AsyncClient, FastAPI], route_calls: list[str],
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    client, app = served
    first = await client.get(LAP)
    catalog: Catalog = app.state.catalog
    catalog.cache.drop_prefix("2024-13-Q")  # 2024 Hungary is round 13
    assert (await client.get(LAP)).content == first.content
    assert len(route_calls) == 2

    # A snapshot that now lives elsewhere (say, rebuilt by the ingest job) is read afresh.
    real_locate = catalog.store.locate
    current = real_locate(next(iter(catalog._resolved.values())))
    assert current is not None
    moved = shutil.copytree(current, tmp_path / "moved")
    monkeypatch.setattr(catalog.store, "locate",
                        lambda session: moved if session.round == 13 else real_locate(session))
    assert (await client.get(LAP)).content == first.content
    assert len(route_calls) == 3
    assert (await client.get(LAP)).status_code == 200
    assert len(route_calls) == 3  # and is indexed again under its new place


async def test_fast_path_answers_keep_their_route_in_the_metrics(
        served: tuple[httpx.AsyncClient, FastAPI]):
    client, _app = served
    for _ in range(3):
        await client.get(LAP)
    metrics = (await client.get("/metrics")).text
    template = "/api/v1/telemetry/sessions/{year}/{event}/{session}/laps/{driver}/{lap}/telemetry"
    counted = [line for line in metrics.splitlines()
               if line.startswith("pitwall_http_requests_total") and template in line
               and 'status="200"' in line]
    assert counted and float(counted[0].rsplit(" ", 1)[1]) >= 3
