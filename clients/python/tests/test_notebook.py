"""examples/compare_and_race_pace.ipynb runs top to bottom against the real stack (nbclient
with an ipykernel), and its printed tables and plots are what the sample pack holds."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[3] / "examples" / "compare_and_race_pace.ipynb"
Account = Any  # conftest's Account


def _text(cell: Any) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o["output_type"] == "stream")


def test_the_notebook_is_stored_without_outputs() -> None:
    stored = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in stored.cells if cell.cell_type == "code")


def test_notebook_runs_against_the_stack(account: Account, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PITWALL_URL", account.url)
    monkeypatch.setenv("PITWALL_EMAIL", account.email)
    monkeypatch.setenv("PITWALL_PASSWORD", account.password)
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    nbformat.write(notebook, tmp_path / "executed.ipynb")  # kept by pytest for a look
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]

    laps_table = _text(code[1]).splitlines()
    assert laps_table[0].split()[:3] == ["Driver", "LapNumber", "LapTime"]
    assert laps_table[1].split()[:5] == ["NOR", "17", "0", "days", "00:01:15.227000"]
    assert laps_table[2].split()[:5] == ["PIA", "18", "0", "days", "00:01:15.249000"]
    assert laps_table[3] == "timedelta64[ns]"
    assert _text(code[2]).startswith("- NOR's lap 17 (75.227 s) beat PIA's lap 18")

    images = [o for cell in (code[3], code[4]) for o in cell["outputs"]
              if o["output_type"] == "display_data" and "image/png" in o["data"]]
    assert len(images) == 2
    assert all(base64.b64decode(o["data"]["image/png"]).startswith(b"\x89PNG") for o in images)

    pace = {line.split()[0]: line.split()[1:] for line in _text(code[5]).splitlines()[1:]}
    assert pace["HAM"] == ["34.0", "106.589", "105.366"]
    assert set(pace) == {"HAM", "RAI", "PER", "VET"}
