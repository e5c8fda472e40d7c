"""Functions that run inside the loader process pool (FastF1 is imported only there)."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import warnings
from pathlib import Path
from typing import Any

from pitwall_telemetry.loading.errors import LoadError, classify, recording_fastf1_logs
from pitwall_telemetry.loading.progress import FastF1StageHandler, ProgressFile
from pitwall_telemetry.snapshots.store import SessionId, SnapshotStore

_offline = False
_fastf1_config: tuple[str, bool, str | None] | None = None
_fastf1_ready = False
_log_level: str | None = None
log = logging.getLogger("pitwall.telemetry.worker")

SESSION_NAME_CODES = {
    "Practice 1": "FP1", "Practice 2": "FP2", "Practice 3": "FP3", "Qualifying": "Q",
    "Sprint Qualifying": "SQ", "Sprint Shootout": "SS", "Sprint": "S", "Race": "R",
}


def init_worker(cache_dir: str, offline: bool, frozen_dir: str | None,
                log_level: str | None = None) -> None:
    """Remember the FastF1 configuration; it is applied on first use, so work that needs no
    FastF1 (the Hungary sample build) does not pay for importing and seeding it.

    With ``log_level`` (a loader process of the service or the ingest command), this process
    logs JSON lines like the service, FastF1's included."""
    global _offline, _fastf1_config, _fastf1_ready, _log_level
    warnings.filterwarnings("ignore", category=FutureWarning)
    _offline = offline
    _fastf1_config = (cache_dir, offline, frozen_dir)
    _fastf1_ready = False
    _log_level = log_level
    if log_level is not None:
        from pitwall_shared.logs import configure_logging

        configure_logging("telemetry", log_level)


def _fastf1() -> Any:
    global _fastf1_ready
    import fastf1

    if not _fastf1_ready and _fastf1_config is not None:
        from pitwall_telemetry.fastf1_setup import configure_fastf1, send_fastf1_logs_as_json

        cache_dir, offline, frozen_dir = _fastf1_config
        configure_fastf1(Path(cache_dir), offline=offline,
                         frozen_dir=Path(frozen_dir) if frozen_dir else None)
        if _log_level is not None:
            send_fastf1_logs_as_json(_log_level)
        _fastf1_ready = True
    return fastf1


def warm_up() -> bool:
    """Import and configure FastF1 now so the first real load does not pay for it."""
    import pyarrow.parquet  # noqa: F401

    _fastf1()
    return True


def _event_row(event: Any) -> dict[str, Any]:
    import pandas as pd

    sessions = []
    for i in range(1, 6):
        name = event.get(f"Session{i}")
        if not isinstance(name, str) or not name or name == "None":
            continue
        date = event.get(f"Session{i}DateUtc")
        sessions.append({"code": SESSION_NAME_CODES.get(name, name), "name": name,
                         "date": None if pd.isna(date) else pd.Timestamp(date).isoformat()})
    date = event.get("EventDate")
    return {
        "round": int(event["RoundNumber"]), "event_name": str(event["EventName"]),
        "official_name": str(event.get("OfficialEventName", "")),
        "country": str(event["Country"]), "location": str(event["Location"]),
        "event_date": None if pd.isna(date) else pd.Timestamp(date).isoformat(),
        "event_format": str(event["EventFormat"]), "sessions": sessions,
    }


def fetch_schedule(store_root: str, year: int) -> list[dict[str, Any]]:
    fastf1 = _fastf1()

    with recording_fastf1_logs() as records:
        try:
            schedule = fastf1.get_event_schedule(year, include_testing=False)
        except Exception as error:
            raise classify(error, records, what=f"the {year} schedule",
                           offline=_offline) from None
    events = [_event_row(row) for _, row in schedule.iterrows() if int(row["RoundNumber"]) > 0]
    SnapshotStore(Path(store_root)).write_schedule(year, events)
    return events


def ingest_session(store_root: str, year: int, round_number: int, code: str,
                   hungary_raw_dir: str | None, progress_path: str | None = None
                   ) -> dict[str, Any]:
    """Load one session and write its snapshot; returns a summary (small, pickled back).

    With ``progress_path``, each stage of the load is written there as it starts."""
    progress = ProgressFile(Path(progress_path)) if progress_path else None
    try:
        return _build_and_write(store_root, SessionId(year, round_number, code), hungary_raw_dir,
                                progress)
    except LoadError:
        raise
    except Exception as error:  # anything else: say so plainly, keep the trace in the log
        log.exception("ingest of %s %s %s failed", year, round_number, code)
        raise LoadError("failed", f"Building the snapshot of {year} round {round_number} "
                        f"{code} failed ({type(error).__name__}); it can be retried.") from None
    finally:
        _return_freed_memory()  # the session's frames went out of scope with the call above


def _build_and_write(store_root: str, session_id: SessionId, hungary_raw_dir: str | None,
                     progress: ProgressFile | None) -> dict[str, Any]:
    from pitwall_telemetry.loading.hungary import HUNGARY_2024_Q, build_hungary_bundle

    enter = progress.enter if progress else (lambda _stage: None)
    if session_id == HUNGARY_2024_Q and hungary_raw_dir and Path(hungary_raw_dir).is_dir():
        enter("session")
        bundle = build_hungary_bundle(Path(hungary_raw_dir))
    else:
        bundle = _load_fastf1(session_id, progress)
    enter("writing")
    path = SnapshotStore(Path(store_root)).write_session(
        bundle.session, bundle.tables, bundle.telemetry, bundle.meta)
    return {"path": str(path), "missing": bundle.meta.get("missing", [])}


def _return_freed_memory() -> None:
    """A loaded session is hundreds of MB of frames; once written, give the pages back.

    The worker lives on between loads, and glibc keeps freed heap for reuse by default, so
    without this the loader's resident size stays at its largest session's peak.
    """
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _load_fastf1(session_id: SessionId, progress: ProgressFile | None) -> Any:
    fastf1 = _fastf1()

    from pitwall_telemetry.loading.fastf1_session import bundle_from_fastf1

    what = f"{session_id.year} round {session_id.round} {session_id.code}"
    stages = FastF1StageHandler(progress) if progress else None
    fastf1_logger = logging.getLogger("fastf1")
    with recording_fastf1_logs() as records:
        try:
            if progress:
                progress.enter("schedule")
            session = fastf1.get_session(session_id.year, session_id.round, session_id.code)
            if stages:
                fastf1_logger.addHandler(stages)
            session.load(laps=True, telemetry=True, weather=True, messages=True)
            laps = session.laps
        except Exception as error:
            raise classify(error, records, what=what, offline=_offline) from None
        finally:
            if stages:
                fastf1_logger.removeHandler(stages)
        if laps is None or laps.empty:
            raise classify(LoadError("not_available", f"No lap timing data is available "
                                     f"for {what}."), records, what=what, offline=_offline)
    return bundle_from_fastf1(session, session_id)
