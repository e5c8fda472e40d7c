"""Turn what a client wrote (event name or round, session code) into one schedule entry."""

from __future__ import annotations

import difflib
import unicodedata
from datetime import UTC, datetime
from typing import Any

from pitwall_shared.problems import ProblemError

SESSION_ALIASES = {
    "PRACTICE 1": "FP1", "PRACTICE 2": "FP2", "PRACTICE 3": "FP3", "QUALIFYING": "Q",
    "SPRINT QUALIFYING": "SQ", "SPRINT SHOOTOUT": "SS", "SPRINT": "S", "RACE": "R",
}
SESSION_CODES = ("FP1", "FP2", "FP3", "SQ", "SS", "Q", "S", "R")
FIRST_YEAR = 2018  # the first season FastF1's live-timing source covers


def last_year() -> int:
    return datetime.now(UTC).year + 1


def _norm(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = plain.lower().replace("-", " ").replace("_", " ").split()
    return " ".join(w for w in words if w not in {"grand", "prix", "gp"})


def _names(event: dict[str, Any]) -> list[str]:
    return [event["event_name"], event["country"], event["location"],
            event.get("official_name", "")]


def find_event(events: list[dict[str, Any]], asked: str, year: int) -> dict[str, Any]:
    text = asked.strip()
    if text.isdigit():
        for event in events:
            if event["round"] == int(text):
                return event
        raise ProblemError(404, f"{year} has no round {text}; rounds are 1-{len(events)}.",
                           slug="event-not-found", asked=asked,
                           valid_values=[e["event_name"] for e in events])
    wanted = _norm(text)
    exact = [e for e in events if wanted and wanted in {_norm(n) for n in _names(e) if n}]
    if len(exact) == 1:
        return exact[0]
    partial = [e for e in events if wanted and any(wanted in _norm(n) for n in _names(e) if n)]
    if len(exact) > 1 or (not exact and len(partial) > 1):
        choices = exact or partial
        raise ProblemError(404, f"'{asked}' matches several {year} events: "
                           f"{', '.join(e['event_name'] for e in choices)}; name one or use "
                           f"its round number.", slug="event-ambiguous", asked=asked,
                           closest_matches=[e["event_name"] for e in choices])
    if len(partial) == 1:
        return partial[0]
    pool = {n: e["event_name"] for e in events for n in _names(e)[:3]}
    close = difflib.get_close_matches(text, list(pool), n=5, cutoff=0.5)
    closest = list(dict.fromkeys(pool[c] for c in close))
    hint = f" Closest: {', '.join(closest)}." if closest else ""
    raise ProblemError(404, f"No {year} event matches '{asked}'.{hint}",
                       slug="event-not-found", asked=asked, closest_matches=closest,
                       valid_values=[e["event_name"] for e in events])


def session_code(event: dict[str, Any], asked: str, year: int) -> str:
    text = asked.strip().upper()
    code = SESSION_ALIASES.get(text, text)
    available = [s["code"] for s in event.get("sessions", [])]
    if code in available and code in SESSION_CODES:
        return code
    raise ProblemError(404, f"The {year} {event['event_name']} has no session '{asked}'; "
                       f"it has {', '.join(available) or 'no sessions'}.",
                       slug="session-not-found", asked=asked, valid_values=available)
