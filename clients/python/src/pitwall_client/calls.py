"""Building blocks for endpoint methods: response readers and the session path."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

import httpx
import pandas as pd

from pitwall_client.flows import Call
from pitwall_client.frames import Names

T = TypeVar("T")
SESSION = "/api/v1/telemetry/sessions/{year}/{event}/{session}"
ANALYSIS = "/api/v1/analysis/sessions/{year}/{event}/{session}"


def read_json(response: httpx.Response) -> Any:
    return response.json()


def read_bytes(response: httpx.Response) -> bytes:
    return response.content


def read_text(response: httpx.Response) -> str:
    return response.text


def reading(*fields: str) -> Callable[[Callable[[httpx.Response], T]],
                                       Callable[[httpx.Response], T]]:
    """Mark a response reader with the top-level response fields it reads, so a test can
    check each against the merged OpenAPI's response schema."""
    def mark(parse: Callable[[httpx.Response], T]) -> Callable[[httpx.Response], T]:
        parse.reads = fields  # type: ignore[attr-defined]
        return parse

    return mark


def read_table(key: str, names: str = "fastf1") -> Callable[[httpx.Response], pd.DataFrame]:
    from pitwall_client.frames import table

    @reading(key)
    def parse(response: httpx.Response) -> pd.DataFrame:
        return table(response.json()[key], convert=names == "fastf1")

    return parse


def session_params(year: int, event: str, session: str) -> dict[str, Any]:
    return {"year": year, "event": event, "session": session}


def joined(values: Iterable[Any] | str | None) -> str | None:
    """``["NOR", "PIA"]`` -> ``"NOR,PIA"`` (the API's list query parameters)."""
    if values is None or isinstance(values, str):
        return values
    return ",".join(str(v) for v in values)


def get(path: str, parse: Callable[[httpx.Response], T], path_params: dict[str, Any],
        **params: Any) -> Call[T]:
    return Call("GET", path, parse, path_params, params or None)


class SessionRead(Protocol[T]):
    """An endpoint description taking a session only (several analyses share the shape)."""

    def __call__(self, client: Any, /, year: int, event: str, session: str) -> Call[T]: ...


class SessionTableRead(Protocol[T]):
    """An endpoint description taking a session and the column names to use."""

    def __call__(self, client: Any, /, year: int, event: str, session: str,
                 names: Names = "fastf1") -> Call[T]: ...
