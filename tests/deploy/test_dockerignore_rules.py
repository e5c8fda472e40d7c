"""The .dockerignore reader the rehearsal and the tests rely on, on rules with known answers
(Docker's documented semantics: last match wins, `**` spans directories, a matched
directory excludes its contents, `!` re-includes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy.dockerfile import DockerIgnore

RULES = """
# comment
**/__pycache__
*.log
docs
build/
!docs/keep.md
secret?.txt
"""


@pytest.mark.parametrize(
    ("path", "excluded"),
    [
        ("__pycache__/a.pyc", True),
        ("pkg/sub/__pycache__/a.pyc", True),
        ("pkg/sub/module.py", False),
        ("app.log", True),
        ("logs/app.log", False),  # * does not cross a directory
        ("docs/guide.md", True),
        ("docs/keep.md", False),
        ("build/out/x", True),
        ("secret1.txt", True),
        ("secret12.txt", False),
    ],
)
def test_rules_match_dockers_semantics(path: str, excluded: bool) -> None:
    assert DockerIgnore(RULES).excluded(path) is excluded


def test_context_walk_prunes_excluded_trees_but_keeps_exceptions(tmp_path: Path) -> None:
    for rel in ("docs/guide.md", "docs/keep.md", "src/a.py", "src/__pycache__/a.pyc", "x.log"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    ignore = DockerIgnore(RULES)
    assert ignore.context_files(tmp_path, "src/") == [Path("src/a.py")]
    assert ignore.context_files(tmp_path, "docs/") == [Path("docs/keep.md")]
    assert ignore.context_files(tmp_path, "x.log") == []
    assert not ignore.prunable("docs") and ignore.prunable("src/__pycache__")
