""".env.example accounts for every setting docker-compose.yml passes to a container.

A setting compose reads from .env (``${NAME}``) is a line ``NAME=value``; every other one is
listed as a comment ``# NAME=value`` with compose's own value, so the file shows everything a
container gets and goes stale the moment compose changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from tests.deploy.sources import COMPOSE_FILE, ENV_EXAMPLE, compose_variables, env_example

VARIABLE = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")
LISTED = re.compile(r"^#\s+([A-Z][A-Z0-9_]*)=(.*)$")
REFERENCE = re.compile(r"\$\{(\w+)[^}]*\}")


@dataclass(frozen=True)
class Entry:
    name: str
    value: str
    listed: bool  # a comment: set by compose itself
    described: bool  # its paragraph opens with a prose comment


def _entries() -> list[Entry]:
    entries = []
    for paragraph in ENV_EXAMPLE.read_text().split("\n\n"):
        lines = [line for line in paragraph.splitlines() if not line.startswith("# ---")]
        prose = bool(lines) and lines[0].startswith("#") and not LISTED.match(lines[0])
        for line in lines:
            if match := VARIABLE.match(line):
                entries.append(Entry(match[1], match[2], False, prose))
            elif match := LISTED.match(line):
                entries.append(Entry(match[1], match[2], True, prose))
    return entries


def _passed() -> dict[str, set[str]]:
    """Every environment entry of every compose service, values with ``${NAME:?...}``
    written as ``${NAME}`` (YAML merge keys resolved, nothing interpolated)."""
    raw = yaml.safe_load(COMPOSE_FILE.read_text())
    passed: dict[str, set[str]] = {}
    for service in raw["services"].values():
        for name, value in (service.get("environment") or {}).items():
            passed.setdefault(name, set()).add(REFERENCE.sub(r"${\1}", str(value)))
    return passed


def test_every_setting_compose_passes_is_in_the_file_and_nothing_else() -> None:
    passed = _passed()
    entries = _entries()
    named = [entry.name for entry in entries]
    assert len(named) == len(set(named)), "a setting appears twice"
    missing = sorted(set(passed) - set(named))
    assert not missing, f"compose passes these; add them to .env.example: {missing}"
    # Anything else must be a variable compose interpolates (image names, the published port).
    stale = sorted(
        e.name for e in entries
        if e.name not in passed and (e.listed or e.name not in compose_variables())
    )
    assert not stale, f"compose no longer passes these; remove them from .env.example: {stale}"
    assert len(passed) >= 50, sorted(passed)


def test_variables_are_what_compose_interpolates_and_listed_values_are_composes() -> None:
    passed = _passed()
    for entry in _entries():
        if entry.listed:
            # Compose's value (any container's, migration steps differ in their user).
            assert entry.value in passed[entry.name], (entry.name, entry.value, passed[entry.name])
            assert f"${{{entry.name}}}" not in passed[entry.name], (
                f"{entry.name} is read from .env: make it a NAME=value line, not a comment"
            )
        elif entry.name in passed:
            # Passed straight through from .env (or built from it, like the database URLs).
            assert any(f"${{{entry.name}}}" in value for value in passed[entry.name]), entry.name
    assert {e.name for e in _entries() if not e.listed} == set(env_example()) == compose_variables()


def test_every_entry_is_explained_and_holds_no_real_secret() -> None:
    entries = _entries()
    assert not [e.name for e in entries if not e.described], "settings without a comment"
    for entry in entries:
        # A credential inside a URL or list is always a reference to a change-me variable.
        for secret in re.findall(r"://[^:/@]+:([^@]+)@", entry.value):
            assert REFERENCE.fullmatch(secret), (entry.name, "holds a literal password")
        if entry.name.endswith(("_PASSWORD", "_SECRET")) and not entry.listed:
            assert entry.value.startswith("change-me"), entry.name
