"""Copy into the sample pack only the frozen FastF1 responses the sample sessions need.

Usage: python telemetry-svc/scripts/freeze_sample_pack.py SOURCE_FILECACHE_DIR

SOURCE is a requests-cache ``FileCache`` directory of recorded FastF1 responses (one JSON
file per response). Each sample session and every season schedule from 2018 on is loaded
through FastF1 in offline mode (as the service's loader does: laps, telemetry, weather,
messages) while recording which cached responses are read; exactly those files end up in
``telemetry-svc/sample-data/fastf1-http/``: missing ones are copied, ones no load reads any
more are removed.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import fastf1
from requests_cache.backends.base import BaseCache

from pitwall_telemetry.fastf1_setup import configure_offline
from pitwall_telemetry.sample_pack import FROZEN_SESSIONS, SAMPLE_DATA_DIR, SCHEDULE_YEARS

used_urls: set[str] = set()
_original_get_response = BaseCache.get_response


def _recording_get_response(self, key, default=None):  # type: ignore[no-untyped-def]
    response = _original_get_response(self, key, default)
    if response is not None:
        used_urls.add(response.url)
    return response


def main(source: Path) -> None:
    BaseCache.get_response = _recording_get_response  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as scratch:
        configure_offline(source, Path(scratch))
        for year in SCHEDULE_YEARS:
            fastf1.get_event_schedule(year)
        for year, event, code in FROZEN_SESSIONS:
            session = fastf1.get_session(year, event, code)
            session.load(laps=True, telemetry=True, weather=True, messages=True)
            print(f"{year} {event} {code}: {len(session.laps)} laps")
    target = SAMPLE_DATA_DIR / "fastf1-http"
    target.mkdir(parents=True, exist_ok=True)
    wanted = {path.name for path in sorted(source.glob("*.json"))
              if json.loads(path.read_text()).get("url") in used_urls}
    for name in sorted(wanted):
        shutil.copy2(source / name, target / name)
    removed = [path for path in target.glob("*.json") if path.name not in wanted]
    for path in removed:
        path.unlink()
    print(f"{len(wanted)} responses ({len(used_urls)} urls) in {target}; "
          f"{len(removed)} no longer read removed")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
