"""The facts memo over the real telemetry-svc and the frozen 2018 Azerbaijan race: a repeat is
served from the memo after a 304 revalidation, another snapshot ETag recomputes, parameters
never share an entry, and the warm body is the cold body byte for byte."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import orjson
import pytest

from pitwall_analysis.services.facts_memo import FactsMemo
from pitwall_shared.contracts.analysis import RacePaceResponse, StrategyResponse

from .upstream import Services, running_services

pytestmark = pytest.mark.asyncio(loop_scope="module")

BAKU = "/api/v1/analysis/sessions/2018/Azerbaijan/R"
SESSION_INFO = "/api/v1/telemetry/sessions/2018/Azerbaijan/R"


@pytest.fixture(scope="module")
def services(deterministic_services: Services) -> Services:
    return deterministic_services


def memo_of(services: Services) -> FactsMemo:
    memo: FactsMemo = services.app.state.facts_memo
    return memo


async def test_a_repeat_is_served_from_the_memo_after_a_304(services: Services) -> None:
    memo = memo_of(services)
    cold = await services.analysis.get(f"{BAKU}/strategy")
    assert cold.status_code == 200, cold.text
    computed = memo.computations
    services.upstream_requests.clear()

    warm = await services.analysis.get(f"{BAKU}/strategy")
    assert warm.status_code == 200, warm.text
    assert memo.computations == computed
    # Only the revalidation reached telemetry-svc, and it named the snapshot it holds.
    assert len(services.upstream_requests) == 1
    path, if_none_match = services.upstream_requests[0]
    assert path == SESSION_INFO and if_none_match
    assert warm.content == cold.content
    assert warm.headers["content-type"] == "application/json"
    StrategyResponse.model_validate_json(warm.content)
    assert list(orjson.loads(warm.content)) == ["session", "insights", "kind", "facts"]

    table = await services.analysis.get(f"{BAKU}/strategy", params={"table": "pit-stops"})
    assert table.status_code == 200, table.text
    assert memo.computations == computed  # the table variant reads the same entry


async def test_another_snapshot_etag_recomputes(services: Services) -> None:
    memo = memo_of(services)
    first = await services.analysis.get(f"{BAKU}/fastest-laps")
    assert first.status_code == 200, first.text
    memo_key = ("fastest_laps", 2018, "Azerbaijan", "R", ())
    entry = memo.get(memo_key)
    assert entry is not None
    # Facts from an earlier snapshot, under that snapshot's ETag: telemetry-svc's current
    # ETag no longer matches, so they must not be answered.
    memo.put(memo_key, dataclasses.replace(
        entry, etag='"an-earlier-snapshot"', facts_json=b'{"stale":true}'))
    computed = memo.computations

    again = await services.analysis.get(f"{BAKU}/fastest-laps")
    assert again.status_code == 200, again.text
    assert memo.computations == computed + 1
    assert again.json()["facts"] == first.json()["facts"]
    refreshed = memo.get(memo_key)
    assert refreshed is not None and refreshed.etag == entry.etag


async def test_different_parameters_never_share_an_entry(services: Services) -> None:
    memo = memo_of(services)
    bodies = {}
    for drivers in ("VET,HAM", "VET,BOT", "vet, ham"):
        response = await services.analysis.get(f"{BAKU}/race-pace",
                                               params={"drivers": drivers})
        assert response.status_code == 200, response.text
        bodies[drivers] = RacePaceResponse.model_validate_json(response.content)
    drivers_of = {name: sorted(body.model_dump(mode="json")["facts"]["drivers"])
                  for name, body in bodies.items()}
    assert drivers_of["VET,HAM"] == ["HAM", "VET"]
    assert drivers_of["VET,BOT"] == ["BOT", "VET"]
    # The same drivers written differently are one entry; a different pair is another.
    assert bodies["vet, ham"] == bodies["VET,HAM"]
    assert memo.get(("race_pace", 2018, "Azerbaijan", "R", ("VET", "HAM"))) is not None
    assert memo.get(("race_pace", 2018, "Azerbaijan", "R", ("VET", "BOT"))) is not None
    assert memo.get(("strategy", 2018, "Azerbaijan", "R", ("VET", "HAM"))) is None


async def test_a_bad_request_is_not_memoised(services: Services) -> None:
    memo = memo_of(services)
    size = len(memo)
    response = await services.analysis.get(f"{BAKU}/race-pace", params={"drivers": "VET,XXX"})
    assert response.status_code == 404  # unknown-driver
    assert response.headers["content-type"].startswith("application/problem+json")
    assert len(memo) == size


async def test_the_entry_bound_is_a_setting(telemetry_data_dir: Path,
                                            module_database: str) -> None:
    async with running_services(telemetry_data_dir, module_database, openai_api_key=None,
                                facts_memo_entries=1) as bounded:
        for analysis in ("fastest-laps", "summary"):
            response = await bounded.analysis.get(f"{BAKU}/{analysis}")
            assert response.status_code == 200, response.text
        memo = memo_of(bounded)
        assert len(memo) == 1
        assert memo.get(("session_summary", 2018, "Azerbaijan", "R", ())) is not None
