"""How FastF1 is configured inside a loader process.

Offline, FastF1 must answer from the frozen responses shipped in the sample pack. Rather than
hand FastF1 a private cache backend, the frozen responses (a requests-cache ``FileCache``
directory) are copied once, under their original cache keys, into the SQLite HTTP cache that
FastF1's public ``Cache.configure(cache_dir=...)`` opens. The frozen directory is only read,
never written; ``Cache.offline_mode(True)`` then makes every miss an explicit cache miss
instead of a network request.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
from pathlib import Path

HTTP_CACHE_NAME = "fastf1_http_cache.sqlite"
SEED_MARKER = "seeded-from.txt"

log = logging.getLogger("pitwall.telemetry.fastf1")


def _frozen_fingerprint(frozen_dir: Path) -> str:
    names = sorted(p.name for p in frozen_dir.glob("*.json"))
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]


def seed_http_cache(frozen_dir: Path, cache_dir: Path) -> int:
    """Copy frozen responses into ``cache_dir``'s FastF1 HTTP cache; returns how many.

    Idempotent and safe across processes (file lock + fingerprint marker).
    """
    from requests import Request
    from requests.utils import default_headers

    accept_encoding = str(default_headers()["Accept-Encoding"])
    from requests_cache.backends.filesystem import FileCache
    from requests_cache.backends.sqlite import SQLiteCache

    cache_dir.mkdir(parents=True, exist_ok=True)
    fingerprint = _frozen_fingerprint(frozen_dir)
    marker = cache_dir / SEED_MARKER
    with open(cache_dir / ".seed.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.exists() and marker.read_text().strip() == fingerprint:
            return 0
        # FileCache creates its directory if missing; the frozen one always exists, so it
        # is opened for reading only.
        frozen = FileCache(str(frozen_dir), serializer="json")
        target = SQLiteCache(str(cache_dir / HTTP_CACHE_NAME))
        count = 0
        with target.responses.bulk_commit():
            for key in frozen.responses:
                response = frozen.responses[key]
                # The key hashes the serializer too, so a FileCache key never matches the
                # SQLite cache's: recompute it the way FastF1's session will look it up.
                request = Request(response.request.method, response.request.url).prepare()
                # Responses carry ``Vary: Accept-Encoding``; the recorded request's encodings
                # depend on the recording machine's optional decoders (brotli, zstd), so
                # record the ones this installation sends or every lookup misses.
                response.request.headers["Accept-Encoding"] = accept_encoding
                target.save_response(response, cache_key=target.create_key(request))
                count += 1
        target.close()
        marker.write_text(fingerprint)
        log.info("seeded %d frozen responses into %s", count, cache_dir)
        return count


def configure_fastf1(cache_dir: Path, *, offline: bool, frozen_dir: Path | None) -> None:
    """Point FastF1 at ``cache_dir``; offline, answer only from the seeded frozen responses."""
    import fastf1

    cache_dir.mkdir(parents=True, exist_ok=True)
    if frozen_dir is not None and frozen_dir.is_dir():
        seed_http_cache(frozen_dir, cache_dir)
    fastf1.Cache.configure(cache_dir=str(cache_dir))
    fastf1.Cache.offline_mode(offline)
    logging.getLogger("fastf1").setLevel(logging.WARNING)


def send_fastf1_logs_as_json(level: str) -> None:
    """FastF1 writes to a plain-text console handler of its own; send its records out as the
    service's JSON lines instead, INFO and up (its loading steps) or ``level`` if higher.

    Its logger does not pass them on: during a load it is opened to DEBUG (its records tell a
    load's stage and why it failed), which the service's log should not receive.
    """
    from pitwall_shared.logs import json_handler

    threshold = max(logging.INFO, logging.getLevelNamesMapping().get(level.upper(), 0))
    logger = logging.getLogger("fastf1")
    logger.handlers[:] = [json_handler("telemetry", threshold)]
    logger.propagate = False


def configure_offline(frozen_dir: Path, cache_dir: Path) -> None:
    configure_fastf1(cache_dir, offline=True, frozen_dir=frozen_dir)
