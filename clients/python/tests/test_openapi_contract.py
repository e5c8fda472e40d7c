"""The client and the merged OpenAPI agree: every operation the client calls exists with the
query parameters it sends, its bodies' fields are accepted, and every response field it reads
is in the response schema. Checked against the OpenAPI the running gateway serves and the
committed frontend/openapi.json, so a renamed route, parameter or field fails here."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pitwall_client.analysis import AnalysisEndpoints
from pitwall_client.client import Pitwall
from pitwall_client.flows import LOGIN_PATH, REFRESH_PATH, TOKEN_FIELDS, Call, Flow
from pitwall_client.reports import ReportEndpoints
from pitwall_client.telemetry import TelemetryEndpoints

REPO = Path(__file__).resolve().parents[3]
S = (2024, "Hungary", "Q")
# Arguments for every public endpoint method; a method missing here fails the test.
ARGS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "schedule": ((2024,), {}), "samples": ((), {}), "session": (S, {}),
    "session_status": (S, {}), "results": (S, {}),
    "laps": (S, {"driver": "NOR", "compound": "SOFT", "stint": 1, "accurate_only": True,
                 "quick_only": True}),
    "laps_csv": (S, {"driver": "NOR"}),
    "lap_telemetry": ((*S, "NOR", 17), {"points": 100}),
    "compare": ((*S, "NOR", "PIA"), {"channels": ["speed"], "points": 100}),
    "circuit": (S, {}), "circuit_corners": (S, {}),
    "session_table": ((*S, "weather"), {}), "stints": (S, {}), "pit_stops": (S, {}),
    "weather": (S, {}), "race_control": (S, {}), "track_status": (S, {}),
    "lap_comparison": ((*S, "NOR", "PIA"), {}), "race_pace": ((*S, ["NOR"]), {}),
    "summary": (S, {}), "fastest_laps": (S, {}), "race_trace": (S, {}), "strategy": (S, {}),
    "pace_distribution": (S, {}), "qualifying_overview": (S, {}),
    "race_trace_table": (S, {}), "strategy_table": (S, {"table": "pit-stops"}),
    "pace_table": (S, {"table": "teams", "names": "pitwall"}), "qualifying_table": (S, {}),
    "chart": ((*S, "speed-trace"), {"drivers": ["NOR"], "laps": ["fastest"], "style": "dark",
                                    "width": 800, "height": 400, "color_by": "gear"}),
    "create_report": ((*S, ["NOR", "PIA"]), {"laps": ["fastest", 17], "style": "light",
                                             "title": "T"}),
    "report": (("id",), {}), "reports": ((), {"status": "queued"}),
    "wait_report": (("id",), {"progress": False}), "download_report": (("id",), {}),
    "delete_report": (("id",), {}),
}


class Recorder(TelemetryEndpoints, AnalysisEndpoints, ReportEndpoints):
    def __init__(self) -> None:
        self.calls: list[Call[Any]] = []

    def _run(self, call: Call[Any]) -> Any:
        self.calls.append(call)

    def _run_flow(self, build: Any) -> Any:
        def perform(call: Call[Any]) -> Flow[Any]:
            self.calls.append(call)
            return {"id": "id", "status": "succeeded"}
            yield  # a generator that sends nothing

        flow = build(perform)
        for _ in flow:
            pass


def client_calls() -> list[tuple[str, Call[Any]]]:
    recorder = Recorder()
    methods = [name for name, _ in inspect.getmembers(Recorder, inspect.isfunction)
               if not name.startswith("_")]
    assert sorted(methods) == sorted(ARGS), "give every endpoint method arguments in ARGS"
    found = []
    for name in methods:
        args, kwargs = ARGS[name]
        getattr(recorder, name)(*args, **kwargs)
        found += [(name, call) for call in recorder.calls]
        recorder.calls.clear()
    account = Pitwall("http://127.0.0.1:1")
    found += [("me", account._me_call()), ("register", account._register_call("e", "p", "n")),
              ("logout", account._logout_call())]
    return found


@pytest.fixture(scope="module", params=["gateway", "frontend/openapi.json"])
def openapi(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    if request.param == "gateway":
        stack = request.getfixturevalue("stack")
        yield httpx.get(f"{stack.url('gateway')}/api/v1/openapi.json", timeout=60).json()
    else:
        yield json.loads((REPO / "frontend" / "openapi.json").read_text())


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The object schema behind a $ref, or behind ``anyOf: [$ref, null]`` (optional bodies)."""
    while True:
        if "$ref" in schema:
            schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
        elif "anyOf" in schema:
            schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
        else:
            return schema


def _success(operation: dict[str, Any]) -> dict[str, Any]:
    return next(answer for status, answer in operation["responses"].items()
                if status.startswith("2"))


def _response_fields(spec: dict[str, Any], operation: dict[str, Any]) -> tuple[set[str], str]:
    answer = _success(operation)
    schema = (answer.get("content") or {}).get("application/json", {}).get("schema") or {}
    return set(_resolve(spec, schema).get("properties", {})), answer.get("description", "")


def test_every_call_matches_an_operation(openapi: dict[str, Any]) -> None:
    checked = 0
    for method_name, call in client_calls():
        where = f"{method_name}: {call.method} {call.path}"
        operation = openapi["paths"].get(call.path, {}).get(call.method.lower())
        assert operation is not None, f"{where} is not in the OpenAPI"
        declared = {p["name"]: p["in"] for p in operation.get("parameters", [])}
        for name in call.path_params:
            assert declared.get(name) == "path", f"{where}: path parameter {name}"
        for name, value in (call.params or {}).items():
            if value is None:  # not sent (the drivers drop None)
                continue
            assert declared.get(name) == "query", f"{where}: query parameter {name}"
        if call.json is not None:
            body = operation["requestBody"]["content"]["application/json"]["schema"]
            accepted = set(_resolve(openapi, body)["properties"])
            assert set(call.json) <= accepted, f"{where}: body fields {set(call.json) - accepted}"
        fields, description = _response_fields(openapi, operation)
        for field in getattr(call.parse, "reads", ()):
            # analysis tables are documented in words ({session, count, rows}) beside the schema
            assert field in fields or field in description, f"{where}: reads {field}"
        checked += 1
    assert checked >= len(ARGS)


def test_sign_in_routes_answer_what_the_client_reads(openapi: dict[str, Any]) -> None:
    for path in (LOGIN_PATH, REFRESH_PATH):
        fields, _ = _response_fields(openapi, openapi["paths"][path]["post"])
        assert set(TOKEN_FIELDS) <= fields, path


def test_the_check_catches_a_renamed_field() -> None:
    """The comparison above is not vacuous: a spec without ``laps`` fails it."""
    spec = json.loads((REPO / "frontend" / "openapi.json").read_text())
    spec["components"]["schemas"]["LapTable"]["properties"].pop("laps")
    with pytest.raises(AssertionError, match="reads laps"):
        test_every_call_matches_an_operation(spec)
