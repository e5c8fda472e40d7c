"""What the sample pack in ``telemetry-svc/sample-data`` holds, so a fresh clone works offline.

- ``fastf1-http/``: frozen FastF1 HTTP responses (requests-cache FileCache format) for the
  sessions below and the season schedules, loaded through FastF1 for real in offline mode.
- ``snapshots/``: prebuilt snapshots (2024 Hungary Q, built from the raw files below, and
  season schedules) so the first request needs no load.
- ``raw/2024-hungary-q/``: the real best-lap car and position telemetry of all 20 drivers of
  2024 Hungarian GP qualifying, as exported from FastF1; the Hungary snapshot is rebuilt from
  it with ``telemetry-svc/scripts/build_hungary_snapshot.py``. Tests read it to compute
  expected values independently.
"""

from __future__ import annotations

from pathlib import Path

SAMPLE_DATA_DIR = Path(__file__).resolve().parents[2] / "sample-data"
FROZEN_HTTP_SUBDIR = "fastf1-http"
SNAPSHOTS_SUBDIR = "snapshots"
HUNGARY_RAW_SUBDIR = "raw/2024-hungary-q"

# (year, event as FastF1 is asked, session code) loaded through FastF1 from frozen responses
FROZEN_SESSIONS: tuple[tuple[int, str, str], ...] = (
    (2018, "Azerbaijan", "R"),
    (2019, "Monza", "Q"),
    (2020, "Hungary", "FP2"),
    (2021, "Monza", "FP2"),
    (2022, "Silverstone", "FP1"),
    (2023, "Azerbaijan", "S"),
    (2024, "Silverstone", "FP1"),
    (2024, "Spain", "Q"),
    (2025, "Miami", "S"),
)
# built from the raw export instead, with car telemetry (see build_hungary_snapshot.py)
PREBUILT_SESSIONS: tuple[tuple[int, str, str], ...] = ((2024, "Hungary", "Q"),)
SAMPLE_SESSIONS = PREBUILT_SESSIONS + FROZEN_SESSIONS
SCHEDULE_YEARS: tuple[int, ...] = tuple(range(2018, 2027))


def frozen_http_dir(sample_dir: Path) -> Path:
    return sample_dir / FROZEN_HTTP_SUBDIR


def sample_snapshots_dir(sample_dir: Path) -> Path:
    return sample_dir / SNAPSHOTS_SUBDIR


def hungary_raw_dir(sample_dir: Path) -> Path:
    return sample_dir / HUNGARY_RAW_SUBDIR
