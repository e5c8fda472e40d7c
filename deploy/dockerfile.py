"""Just enough of Dockerfile and .dockerignore semantics to check and rehearse our images.

Used by ``deploy/rehearse_build.py`` and the consistency tests; no Docker engine needed.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path


@dataclass
class Stage:
    name: str
    base: str
    instructions: list[tuple[str, str]]  # (INSTRUCTION, arguments)

    def args(self, instruction: str) -> list[str]:
        return [a for i, a in self.instructions if i == instruction]

    def copies(self) -> dict[str, str]:
        """Destination -> source of each COPY (``stage:path`` for ``--from`` copies)."""
        result: dict[str, str] = {}
        for arguments in self.args("COPY"):
            words = shlex.split(arguments)
            origin = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
            *sources, destination = [w for w in words if not w.startswith("--")]
            for source in sources:
                result[destination] = f"{origin}:{source}" if origin else source
        return result

    def env(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for arguments in self.args("ENV"):
            for word in shlex.split(arguments):
                key, _, value = word.partition("=")
                values[key] = value
        return values


def parse_dockerfile(path: Path) -> tuple[dict[str, str], list[Stage]]:
    """Global ARGs and the stages, continuation lines joined and comments dropped."""
    logical: list[str] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in logical:
        instruction, _, arguments = line.partition(" ")
        instruction = instruction.upper()
        arguments = " ".join(arguments.split())
        if instruction == "FROM":
            parts = arguments.split()
            name = parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else str(len(stages))
            stages.append(Stage(name, parts[0], []))
        elif not stages and instruction == "ARG":
            key, _, value = arguments.partition("=")
            global_args[key] = value
        else:
            stages[-1].instructions.append((instruction, arguments))
    return global_args, stages


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out)


class DockerIgnore:
    """Patterns applied in order, the last match deciding; a match on a parent directory
    excludes everything below it (as the Docker CLI does when it builds the context)."""

    def __init__(self, text: str) -> None:
        self.rules: list[tuple[bool, re.Pattern[str], str]] = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            pattern = line[1:].strip() if negated else line
            pattern = pattern.strip("/")
            self.rules.append((negated, _pattern_regex(pattern), pattern))

    @classmethod
    def of_repository(cls, root: Path) -> DockerIgnore:
        path = root / ".dockerignore"
        return cls(path.read_text() if path.exists() else "")

    @cached_property
    def _exceptions(self) -> list[str]:
        return [pattern for negated, _, pattern in self.rules if negated]

    def excluded(self, relative: str) -> bool:
        parts = relative.strip("/").split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        verdict = False
        for negated, regex, _ in self.rules:
            if any(regex.fullmatch(p) for p in prefixes):
                verdict = not negated
        return verdict

    def prunable(self, relative_dir: str) -> bool:
        """An excluded directory no exception pattern reaches into: skip walking it."""
        if not self.excluded(relative_dir):
            return False
        return not any(e.startswith(relative_dir.rstrip("/") + "/") for e in self._exceptions)

    def context_files(self, root: Path, source: str) -> list[Path]:
        """Files a ``COPY <source>`` would send: relative to ``root``, ignore rules applied."""
        start = root / source
        if start.is_file():
            return [] if self.excluded(source) else [Path(source)]
        files: list[Path] = []
        for directory, dirnames, filenames in os.walk(start):
            rel_dir = Path(directory).relative_to(root).as_posix()
            dirnames[:] = [d for d in dirnames if not self.prunable(f"{rel_dir}/{d}")]
            for name in filenames:
                rel = f"{rel_dir}/{name}"
                if not self.excluded(rel):
                    files.append(Path(rel))
        return sorted(files)
