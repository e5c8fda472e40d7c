"""`make help` lists every target of the Makefile with its one line, and is what `make` does."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.deploy.sources import REPO

MAKEFILE = REPO / "Makefile"
# A rule's line: a name, then ':' that is not part of ':=' or '::='. File targets written as
# variables ($(UV), $(SYNCED)) are steps of other targets, not commands for people.
RULE = re.compile(r"^([A-Za-z][\w-]*)\s*:(?![:=])(.*)$", re.MULTILINE)


def _rules() -> dict[str, str]:
    """Each target with its help text ('' when it has none)."""
    rules = {}
    for name, rest in RULE.findall(MAKEFILE.read_text()):
        _, _, help_text = rest.partition("## ")
        rules[name] = help_text.strip()
    return rules


def _phony() -> set[str]:
    text = MAKEFILE.read_text().replace("\\\n", " ")
    match = re.search(r"^\.PHONY:(.*)$", text, re.MULTILINE)
    assert match, "the Makefile declares no .PHONY targets"
    return set(match.group(1).split())


def _make(*args: str) -> str:
    result = subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=REPO, capture_output=True, text=True, timeout=30, check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_every_target_has_one_help_line() -> None:
    rules = _rules()
    assert len(rules) >= 10, rules
    assert not [name for name, text in rules.items() if not text], "targets without `## ` help"
    assert set(rules) == _phony(), "every target is .PHONY and every .PHONY target has a rule"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_help_prints_each_target_once_and_is_the_default() -> None:
    listed = _make("help")
    lines = [line.split(None, 1) for line in listed.splitlines() if line.strip()]
    assert [name for name, _ in lines] == list(_rules()), listed
    assert dict((name, text.strip()) for name, text in lines) == _rules()
    assert _make() == listed  # plain `make` runs nothing else
