"""FastF1 failures are told honestly: a rate limit is not "not found", a dead network is 503.

These run the loader functions in this process with FastF1 online, but with every request
sent to a proxy on 127.0.0.1 that refuses connections, so no traffic leaves the machine.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pitwall_shared.testing import free_port
from pitwall_telemetry.fastf1_setup import configure_offline
from pitwall_telemetry.loading import worker
from pitwall_telemetry.loading.errors import LoadError, classify
from pitwall_telemetry.sample_pack import SAMPLE_DATA_DIR, frozen_http_dir
from pitwall_telemetry.services.catalog import problem_from_load_error


@pytest.fixture
def online_without_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    closed = f"http://127.0.0.1:{free_port()}"
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(name, closed)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    worker.init_worker(str(tmp_path / "cache"), False, None)
    yield tmp_path
    # leave FastF1 offline again for whatever runs next in this process
    configure_offline(frozen_http_dir(SAMPLE_DATA_DIR), tmp_path / "offline-cache")


def test_unreachable_upstream_is_503_with_retry_after(online_without_network: Path):
    with pytest.raises(LoadError) as failure:
        worker.fetch_schedule(str(online_without_network), 2019)
    assert failure.value.kind == "unreachable"
    problem = problem_from_load_error(failure.value)
    assert problem.status == 503 and int(problem.headers["Retry-After"]) > 0
    assert "could not be reached" in problem.detail


def test_rate_limit_hidden_behind_schedule_error_is_detected(
        online_without_network: Path, monkeypatch: pytest.MonkeyPatch):
    import fastf1.req

    # Drive FastF1's own hourly limiter to its cap, as a busy hour would: the next request
    # then raises FastF1's real RateLimitExceededError inside the schedule backends.
    for limiters in fastf1.req._SessionWithRateLimiting._RATE_LIMITS.values():
        for limiter in limiters:
            stamps = getattr(limiter, "_timestamps", None)
            if stamps is not None:
                monkeypatch.setattr(limiter, "_timestamps", type(stamps)(
                    [time.time()] * stamps.maxlen, maxlen=stamps.maxlen))
    with pytest.raises(LoadError) as failure:
        worker.fetch_schedule(str(online_without_network), 2020)
    assert failure.value.kind == "rate_limited"
    problem = problem_from_load_error(failure.value)
    assert problem.status == 503 and problem.headers["Retry-After"] == "60"
    assert "rate limit" in problem.detail


def test_offline_cache_misses_read_as_missing_data():
    record = logging.LogRecord("fastf1.req", logging.WARNING, __file__, 1, "miss", (), None)
    record.offline_cache_miss_url = "https://livetiming.formula1.com/static/x.json"
    error = classify(ValueError("Failed to load any schedule data."), [record],
                     what="the 2030 schedule", offline=True)
    assert error.kind == "not_available" and "offline" in error.detail
    assert problem_from_load_error(error).status == 404
