"""The main job through the containers: scripts/demo.py against the published gateway."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from tests.compose.stack import ComposeStack

REPO = Path(__file__).resolve().parents[2]


def test_demo_writes_the_lap_comparison_pdf(stack: ComposeStack, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "scripts/demo.py", "--gateway", stack.gateway_url, "--out", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    (pdf,) = tmp_path.glob("*.pdf")
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 3
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    assert "Norris" in text or "NOR" in text
    assert "Piastri" in text or "PIA" in text
