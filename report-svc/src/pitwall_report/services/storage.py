"""PDF files in the output directory, written atomically (temp file, then rename)."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from pathlib import Path

# <job id>-<attempt>.pdf, as ``name_for`` makes them.
_REPORT_FILE = re.compile(r"^(?P<job>[0-9a-f-]{36})-\d+\.pdf$")


class ReportFiles:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def ensure(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def name_for(job_id: str, attempt: int) -> str:
        return f"{job_id}-{attempt}.pdf"

    def path(self, file_name: str) -> Path:
        # Names come from our own database, but never let one escape the directory.
        path = (self.directory / file_name).resolve()
        if path.parent != self.directory.resolve():
            raise ValueError(f"report file name {file_name!r} leaves the output directory")
        return path

    def write(self, file_name: str, content: bytes) -> int:
        """Blocking; run with ``asyncio.to_thread``."""
        target = self.path(file_name)
        fd, temp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".pdf")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise
        return len(content)

    def remove(self, file_names: list[str]) -> None:
        """Blocking; a file already gone is fine."""
        for name in file_names:
            with contextlib.suppress(FileNotFoundError, ValueError):
                self.path(name).unlink()

    def stale_entries(self, older_than_s: float) -> tuple[list[str], list[str]]:
        """Blocking. Files untouched for ``older_than_s``: report files (by name; several
        reports may share one, so the name, not its job, says whether a row still uses it),
        and leftovers of interrupted writes (temp files and anything else that is not ours)."""
        cutoff = time.time() - older_than_s
        reports: list[str] = []
        other: list[str] = []
        with os.scandir(self.directory) as entries:
            for entry in entries:
                if not entry.is_file(follow_symlinks=False):
                    continue
                if entry.stat(follow_symlinks=False).st_mtime >= cutoff:
                    continue
                if _REPORT_FILE.match(entry.name):
                    reports.append(entry.name)
                else:
                    other.append(entry.name)
        return reports, other
