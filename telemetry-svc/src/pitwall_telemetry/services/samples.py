"""The sessions the shipped sample pack serves offline, described for a picker."""

from __future__ import annotations

from typing import Any

from pitwall_telemetry.sample_pack import PREBUILT_SESSIONS, SAMPLE_SESSIONS
from pitwall_telemetry.services.catalog import Catalog


async def sample_sessions(catalog: Catalog) -> list[dict[str, Any]]:
    """Newest first; names come from the (shipped) season schedules, so no load is needed."""
    out = []
    for year, event, code in sorted(SAMPLE_SESSIONS, key=lambda s: (-s[0], s[1], s[2])):
        session_id = await catalog.resolve(year, event, code)
        found = next(e for e in await catalog.schedule(year) if e["round"] == session_id.round)
        session_name = next((s["name"] for s in found["sessions"] if s["code"] == code), code)
        short = found["event_name"].replace("Grand Prix", "GP")
        out.append({
            "year": year, "event": event, "session": code,
            "label": f"{year} {short} · {session_name}",
            "telemetry": (year, event, code) in PREBUILT_SESSIONS,
            "event_name": found["event_name"], "round": session_id.round,
            "session_name": session_name, "state": catalog.status(session_id)["state"],
        })
    return out
