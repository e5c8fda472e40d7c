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

from pitwall_client.client import Pitwall
from pitwall_client.endpoint import endpoint
from pitwall_client.flows import LOGIN_PATH, REFRESH_PATH, TOKEN_FIELDS, Call, Flow, Operation

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
    "ask": (("Compare NOR and PIA", *S), {"drivers": ["NOR", "PIA"], "laps": ["fastest", 17],
                                          "conversation_id": "c"}),
    "conversations": ((), {"limit": 5}), "conversation": (("c",), {}),
    "delete_conversation": (("c",), {}), "tools": ((), {}),
    "call_tool": (("laps", {"year": 2024}), {}),
    "me": ((), {}), "register": (("e", "p", "n"), {}), "logout": ((), {}), "access_token": ((), {}),
}


def recorded_calls(operation: Operation[Any]) -> list[Call[Any]]:
    """The calls an operation makes, each answered with a finished report's JSON."""
    calls: list[Call[Any]] = []

    def perform(call: Call[Any]) -> Flow[Any]:
        calls.append(call)
        return {"id": "id", "status": "succeeded"}
        yield  # a generator that sends nothing

    for _ in operation.flow(perform):
        pass
    return calls


def client_calls() -> list[tuple[str, Call[Any]]]:
    client = Pitwall("http://127.0.0.1:1")  # describes operations only: nothing is sent
    endpoints = dict(inspect.getmembers(Pitwall, lambda member: isinstance(member, endpoint)))
    assert sorted(endpoints) == sorted(ARGS), "give every endpoint method arguments in ARGS"
    found = []
    for name, method in endpoints.items():
        args, kwargs = ARGS[name]
        found += [(name, call) for call in recorded_calls(method.describe(client, *args, **kwargs))]
    # access_token only renews the sign-in (its routes: test_sign_in_routes_answer...)
    assert {name for name, _ in found} == set(ARGS) - {"access_token"}
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
            body = _resolve(openapi,
                            operation["requestBody"]["content"]["application/json"]["schema"])
            if body.get("additionalProperties") is not True:  # a tool's arguments: any object
                accepted = set(body["properties"])
                assert set(call.json) <= accepted, f"{where}: body {set(call.json) - accepted}"
        fields, description = _response_fields(openapi, operation)
        for field in getattr(call.parse, "reads", ()):
            # analysis tables are documented in words ({session, count, rows}) beside the schema
            assert field in fields or field in description, f"{where}: reads {field}"
        checked += 1
    assert checked >= len(ARGS) - 1


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
