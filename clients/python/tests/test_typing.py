"""What a type checker sees in user code: the blocking client's methods answer the values,
the async client's the same methods as coroutines of them. mypy (as installed in this
environment, run as its own process the way a user's project runs it) checks a small sample
against the installed package and must report each deliberate misuse and nothing else.

Its own process, not mypy's in-process API: the API left the whole checked program (pandas'
stubs included) in the test process, and the garbage collection pytest runs at exit then
took longer than the check itself."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

CORRECT = '''
import asyncio
from typing import Any, assert_type

import pandas as pd

from pitwall_client import Analysis, Answer, AsyncPitwall, Pitwall


def blocking(pw: Pitwall) -> None:
    assert_type(pw.laps(2024, "Hungary", "Q", driver="NOR"), pd.DataFrame)
    assert_type(pw.lap_telemetry(2024, "Hungary", "Q", "NOR", 17, points=100), pd.DataFrame)
    assert_type(pw.lap_comparison(2024, "Hungary", "Q", "NOR", "PIA"), Analysis)
    assert_type(pw.chart(2024, "Hungary", "Q", "speed-trace"), bytes)
    assert_type(pw.wait_report("id", progress=False), dict[str, Any])
    assert_type(pw.access_token(), str | None)
    assert_type(pw.delete_report("id"), None)
    assert_type(pw.stints(2024, "Hungary", "Q", names="pitwall"), pd.DataFrame)
    assert_type(pw.summary(year=2024, event="Hungary", session="Q"), Analysis)
    assert_type(pw.ask("Who was fastest?", 2024, "Hungary", "Q"), Answer)


async def awaiting(pw: AsyncPitwall) -> None:
    assert_type(await pw.laps(2024, "Hungary", "Q", driver="NOR"), pd.DataFrame)
    assert_type(await pw.lap_comparison(2024, "Hungary", "Q", "NOR", "PIA"), Analysis)
    assert_type(await pw.chart(2024, "Hungary", "Q", "speed-trace"), bytes)
    assert_type(await pw.wait_report("id", progress=False), dict[str, Any])
    assert_type(await pw.access_token(), str | None)
    assert_type(await pw.ask("Who was fastest?", 2024, "Hungary", "Q"), Answer)
    assert_type(await pw.stints(2024, "Hungary", "Q"), pd.DataFrame)
    laps, car = await asyncio.gather(pw.laps(2024, "Hungary", "Q"),
                                     pw.lap_telemetry(2024, "Hungary", "Q", "NOR"))
    assert_type(laps, pd.DataFrame)
    assert_type(car, pd.DataFrame)
    summary = asyncio.create_task(pw.summary(2024, "Hungary", "Q"))
    assert_type(await summary, Analysis)
'''

# Each line marked ``# expect: <code>`` must be reported with that error code.
MISUSED = '''
import asyncio

import pandas as pd

from pitwall_client import AsyncPitwall, Pitwall


async def not_awaited(pw: AsyncPitwall) -> None:
    laps: pd.DataFrame = pw.laps(2024, "Hungary", "Q")  # expect: assignment
    print(pw.laps(2024, "Hungary", "Q").columns)  # expect: attr-defined
    await pw.laps(2024, "Hungary", "Q", drivers="NOR")  # expect: call-arg
    print(laps)


def awaited_in_blocking_code(pw: Pitwall) -> None:
    asyncio.run(pw.laps(2024, "Hungary", "Q"))  # expect: arg-type
    pw.lap_telemetry(2024, "Hungary", "Q")  # expect: call-arg
    pw.summary(2024, "Hungary", "Q", "NOR")  # expect: call-arg
'''

REPORTED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: .*\[(?P<code>[a-z-]+)\]$")


def expected_errors(source: str) -> set[tuple[int, str]]:
    return {(number, marked.group(1))
            for number, line in enumerate(source.splitlines(), start=1)
            if (marked := re.search(r"# expect: ([a-z-]+)$", line))}


def test_mypy_sees_values_on_the_blocking_client_and_coroutines_on_the_async_one(
        tmp_path: Path) -> None:
    correct, misused = tmp_path / "correct.py", tmp_path / "misused.py"
    correct.write_text(textwrap.dedent(CORRECT).lstrip())
    misused.write_text(textwrap.dedent(MISUSED).lstrip())
    (tmp_path / "user.ini").write_text("[mypy]\n")
    checked = subprocess.run([
        sys.executable, "-m", "mypy",
        "--config-file", str(tmp_path / "user.ini"),  # a user's settings, not this repo's
        "--strict", "--cache-dir", str(tmp_path / "cache"), "--no-error-summary",
        "--show-error-codes", str(correct), str(misused)],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=600)
    stdout, stderr, status = checked.stdout, checked.stderr, checked.returncode
    reported = [REPORTED.match(line) for line in stdout.splitlines()]
    unparsed = [line for line, match in zip(stdout.splitlines(), reported, strict=True)
                if match is None and ": note:" not in line]
    assert not unparsed and not stderr, stdout + stderr

    errors = [match for match in reported if match is not None]
    in_correct = [m.group(0) for m in errors if Path(m["file"]).name == "correct.py"]
    assert in_correct == [], "\n".join(in_correct)
    found = {(int(m["line"]), m["code"]) for m in errors if Path(m["file"]).name == "misused.py"}
    assert found == expected_errors(textwrap.dedent(MISUSED).lstrip()), stdout
    assert status == 1
