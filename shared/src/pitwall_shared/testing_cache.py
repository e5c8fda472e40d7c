"""A directory that outlives one test run, named by the content of the files it derives from.

Test suites compare the services with FastF1 itself, loading the sample pack's frozen
responses in the test process; and the analysis-svc and report-svc suites run telemetry-svc
as their upstream, which loads the fixture sessions into its snapshot store. Kept between
runs, FastF1's cache (what it parsed) and that store spare the next run those loads. The
directory's name is a hash of every input file's path and bytes (and of the versions
given), so a changed fixture, loading code or library release gets a new, empty directory
and a stale one is never read. The suites under test never get one: telemetry-svc's own
loads are tested against empty stores.

The directories live under ``PITWALL_TEST_CACHE`` (default ``var/test-cache`` in the
repository, ignored by git, so each checkout has its own); delete it to start cold.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from importlib import metadata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def cache_root() -> Path:
    if configured := os.environ.get("PITWALL_TEST_CACHE"):
        return Path(configured)
    if (REPO_ROOT / "pyproject.toml").is_file():
        return REPO_ROOT / "var" / "test-cache"
    # Installed outside the repository: the user's cache directory instead.
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pitwall-tests"


def content_fingerprint(inputs: list[Path], versions: tuple[str, ...] = ()) -> str:
    """sha256 over the versions, then each file under ``inputs`` (path and bytes, sorted;
    bytecode caches left out: they appear after a first run and say nothing new)."""
    digest = hashlib.sha256("\n".join(versions).encode())
    for root in inputs:
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            if "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(root.parent)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def content_keyed_dir(name: str, inputs: list[Path], versions: tuple[str, ...] = ()) -> Path:
    """``<cache root>/<name>-<fingerprint>``, created if missing; the ``<name>-*`` directories
    of earlier fingerprints are deleted (nothing reads them again).

    One directory per ``name``: suites that run at the same time use different names, so no
    two suites write one cache at once.
    """
    root = cache_root()
    directory = root / f"{name}-{content_fingerprint(inputs, versions)}"
    for stale in root.glob(f"{name}-*"):
        if stale != directory and stale.name.count("-") == directory.name.count("-"):
            shutil.rmtree(stale, ignore_errors=True)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def fastf1_derived_cache(name: str, inputs: list[Path]) -> Path:
    """A directory for what FastF1 derives from ``inputs`` (frozen responses, the code that
    loads them): new when they, FastF1, pandas, NumPy or pyarrow change (FastF1's pickles
    hold their objects; snapshots are Parquet)."""
    versions = tuple(f"{package}=={metadata.version(package)}"
                     for package in ("fastf1", "pandas", "numpy", "pyarrow"))
    return content_keyed_dir(name, inputs, versions)
