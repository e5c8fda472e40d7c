"""The ``pitwall`` command as a user runs it: a separate process against the real stack."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from pitwall_client import config

Account = Any  # conftest's Account: url, email, password
PITWALL = str(Path(sys.executable).with_name("pitwall"))


def run(config_dir: Path, url: str, *args: str,
        stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PITWALL_CONFIG_DIR": str(config_dir), "PITWALL_URL": url}
    env.pop("PITWALL_PASSWORD", None)
    # a new session has no controlling terminal, so getpass reads the password from stdin
    return subprocess.run([PITWALL, *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=240, start_new_session=True)


@pytest.fixture(scope="module")
def signed_in(tmp_path_factory: pytest.TempPathFactory, account: Account) -> Path:
    """One sign-in for the module (signing in hashes a password: slow by design). The tests
    share its file in order; the last one signs out."""
    config_dir = tmp_path_factory.mktemp("cli") / "pitwall"
    done = run(config_dir, account.url, "login", stdin=f"{account.email}\n{account.password}\n")
    assert done.returncode == 0, done.stderr
    assert "Signed in to" in done.stdout
    return config_dir


def test_login_keeps_a_refresh_token_owner_only(signed_in: Path, account: Account) -> None:
    path = signed_in / "credentials.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(signed_in.stat().st_mode) == 0o700
    stored = json.loads(path.read_text())
    assert stored["email"] == account.email and stored["url"] == account.url
    assert stored["refresh_token"]
    assert account.password not in path.read_text()


def test_wrong_password_exits_non_zero(config_dir: Path, account: Account) -> None:
    done = run(config_dir, account.url, "login", stdin=f"{account.email}\nWrong-pass-123\n")
    assert done.returncode == 1
    assert "401" in done.stderr and "request" in done.stderr
    assert not (config_dir / "credentials.json").exists()


def test_sessions_table(signed_in: Path, account: Account) -> None:
    done = run(signed_in, account.url, "sessions", "2024")
    assert done.returncode == 0, done.stderr
    hungary = next(line for line in done.stdout.splitlines() if "Hungarian" in line)
    assert hungary.split()[0] == "13" and "2024-07-21" in hungary and "Q R" in hungary


def test_laps_table_and_csv(signed_in: Path, account: Account) -> None:
    table = run(signed_in, account.url, "laps", "2024", "Hungary", "Q", "--driver", "NOR")
    assert table.returncode == 0, table.stderr
    header, row = table.stdout.splitlines()[:2]
    assert header.split()[:3] == ["Driver", "LapNumber", "LapTime"]
    assert row.split()[:3] == ["NOR", "17", "1:15.227"]
    csv = run(signed_in, account.url, "laps", "2024", "Spain", "Q", "--driver", "NOR", "--csv")
    assert csv.returncode == 0, csv.stderr
    lines = csv.stdout.splitlines()
    assert lines[0].startswith("Driver,DriverNumber,LapNumber,LapTime,Sector1Time")
    assert all(line.startswith("NOR,4,") for line in lines[1:]) and len(lines) > 5
    assert ",0 days 00:01:" in csv.stdout


def test_compare_prints_times_and_insights(signed_in: Path, account: Account) -> None:
    done = run(signed_in, account.url, "compare", "2024", "Hungary", "Q", "NOR", "PIA")
    assert done.returncode == 0, done.stderr
    assert "NOR   17 1:15.227" in done.stdout and "PIA   18 1:15.249" in done.stdout
    assert "- NOR's lap 17 (75.227 s) beat PIA's lap 18 (75.249 s) by 0.022 s." in done.stdout


def test_report_writes_the_pdf(signed_in: Path, account: Account, tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    done = run(signed_in, account.url, "report", "2024", "Hungary", "Q", "NOR", "PIA",
               "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF") and str(out) in done.stdout


def test_ask_prints_the_answer_and_its_tool_calls(signed_in: Path, account: Account) -> None:
    first = run(signed_in, account.url, "ask", "Who was fastest?", "2024", "Hungary", "Q")
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0].startswith("NOR set the fastest lap: 75.227 s")
    assert "(rules answerer: " in first.stdout
    assert [line.split(":")[0] for line in lines if line.startswith("- ")] == [
        "- session_info", "- fastest_laps"]
    conversation = lines[-1].split()[1]
    follow_up = run(signed_in, account.url, "ask", "Compare NOR and PIA", "2024", "Hungary",
                    "Q", "--conversation", conversation)
    assert follow_up.returncode == 0, follow_up.stderr
    assert "- compare_laps: " in follow_up.stdout and "/sessions/2024/Hungary/Q/compare?" in (
        follow_up.stdout)
    assert follow_up.stdout.splitlines()[-1].split()[1] == conversation


def test_problem_detail_on_error(signed_in: Path, account: Account) -> None:
    done = run(signed_in, account.url, "laps", "2024", "Hungary", "Q", "--driver", "XXX")
    assert done.returncode == 1
    assert "404 Unknown driver: No driver XXX" in done.stderr
    assert "[request " in done.stderr and done.stdout == ""


def test_not_signed_in(config_dir: Path, account: Account) -> None:
    done = run(config_dir, account.url, "sessions", "2024")
    assert done.returncode == 1 and "pitwall login" in done.stderr


def test_expired_access_token_renewed_and_saved(signed_in: Path, account: Account) -> None:
    path = signed_in / "credentials.json"
    before = json.loads(path.read_text())
    path.write_text(json.dumps({**before, "expires_at": 0}))
    done = run(signed_in, account.url, "laps", "2024", "Hungary", "Q", "--driver", "PIA")
    assert done.returncode == 0, done.stderr
    after = json.loads(path.read_text())
    assert after["refresh_token"] != before["refresh_token"]  # rotated and kept
    assert after["access_token"] != before["access_token"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_save_tightens_an_existing_file(config_dir: Path) -> None:
    config_dir.mkdir(parents=True, mode=0o755)
    (config_dir / "credentials.json").write_text("{}")
    (config_dir / "credentials.json").chmod(0o644)
    config.save({"url": "http://127.0.0.1:1", "refresh_token": "r"})
    assert stat.S_IMODE((config_dir / "credentials.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(config_dir.stat().st_mode) == 0o700
    assert config.load() == {"url": "http://127.0.0.1:1", "refresh_token": "r"}


def test_logout_ends_the_sign_in(signed_in: Path, account: Account) -> None:
    refresh_token = json.loads((signed_in / "credentials.json").read_text())["refresh_token"]
    done = run(signed_in, account.url, "logout")
    assert done.returncode == 0 and "Signed out" in done.stdout
    assert not (signed_in / "credentials.json").exists()
    refused = httpx.post(f"{account.url}/api/v1/auth/refresh", timeout=30,
                         json={"refresh_token": refresh_token})
    assert refused.status_code == 401
