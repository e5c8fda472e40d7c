"""The Grafana dashboard and the metrics reference agree with the code (no stack needed; the
live check against real scrapes is tests/e2e/test_dashboard_metrics.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.e2e.promql_names import metric_names, panel_queries

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "deploy" / "grafana" / "pitwall.json"
REFERENCE = ROOT / "docs" / "operations.md"
HISTOGRAM_SERIES = re.compile(r"_(bucket|sum|count)$")


def _family(name: str) -> str:
    return HISTOGRAM_SERIES.sub("", name)


def _documented() -> set[str]:
    section = REFERENCE.read_text().split("## Metrics", 1)[1]
    return set(re.findall(r"^\| `(pitwall_[a-z0-9_]+)` \|", section, re.MULTILINE))


def _defined_in_code() -> set[str]:
    sources = [*ROOT.glob("*/src/**/*.py")]
    return {name for path in sources
            for name in re.findall(r'"(pitwall_[a-z0-9_]+)"', path.read_text())}


def test_every_metric_the_dashboard_reads_is_documented() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    used = {_family(n) for _, expr in panel_queries(dashboard) for n in metric_names(expr)}
    assert used and all(n.startswith("pitwall_") for n in used), used
    assert used <= _documented(), used - _documented()


def test_every_documented_metric_is_defined_by_a_service() -> None:
    documented = _documented()
    assert len(documented) >= 30
    assert documented <= _defined_in_code(), documented - _defined_in_code()


def test_histograms_are_named_for_their_unit() -> None:
    histograms = set()
    for path in ROOT.glob("*/src/**/*.py"):
        histograms |= set(re.findall(r'Histogram\(\s*"([a-z0-9_]+)"', path.read_text()))
    assert histograms
    assert all(name.endswith("_duration_seconds") for name in histograms), histograms
