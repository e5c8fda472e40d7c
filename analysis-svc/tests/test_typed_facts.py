"""Every analysis answer validates against its typed response in ``contracts``, and the typed
facts models cover every member the service sends (no member is left to ``extra``)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter

from pitwall_shared.contracts.analysis import TypedAnalysisResponse

from .upstream import Services

pytestmark = pytest.mark.asyncio(loop_scope="module")

A = "/api/v1/analysis/sessions"
CASES = [
    ("lap_comparison", f"{A}/2024/Hungary/Q/lap-comparison", {"driver_a": "NOR",
                                                               "driver_b": "VER"}),
    ("fastest_laps", f"{A}/2024/Hungary/Q/fastest-laps", {}),
    ("session_summary", f"{A}/2024/Hungary/Q/summary", {}),
    ("session_summary", f"{A}/2018/Azerbaijan/R/summary", {}),
    ("race_pace", f"{A}/2018/Azerbaijan/R/race-pace", {"drivers": "HAM,VET,RAI"}),
    ("race_trace", f"{A}/2025/Miami/S/race-trace", {}),
    ("strategy", f"{A}/2025/Miami/S/strategy", {}),
    ("pace_distribution", f"{A}/2025/Miami/S/pace-distribution", {}),
    ("qualifying_overview", f"{A}/2024/Hungary/Q/qualifying-overview", {}),
]
ADAPTER: TypeAdapter[Any] = TypeAdapter(TypedAnalysisResponse)


@pytest.fixture(scope="module")
def services(deterministic_services: Services) -> Services:
    return deterministic_services


def extras(model: Any, path: str = "") -> list[str]:
    """Paths of members a model received but does not declare."""
    found: list[str] = []
    if isinstance(model, BaseModel):
        found += [f"{path}.{name}" for name in (model.model_extra or {})]
        for name in type(model).model_fields:
            found += extras(getattr(model, name), f"{path}.{name}")
    elif isinstance(model, list):
        for i, item in enumerate(model[:50]):
            found += extras(item, f"{path}[{i}]")
    elif isinstance(model, dict):
        for key, item in model.items():
            found += extras(item, f"{path}.{key}")
    return found


@pytest.mark.parametrize(("kind", "path", "params"), CASES)
async def test_answer_is_its_typed_response(services: Services, kind: str, path: str,
                                            params: dict[str, str]) -> None:
    response = await services.analysis.get(path, params=params)
    assert response.status_code == 200, response.text
    typed = ADAPTER.validate_python(response.json())
    assert typed.kind == kind
    assert extras(typed.facts, "facts") == []
