"""The PromQL name extraction the dashboard test relies on (no stack needed)."""

from __future__ import annotations

import pytest

from tests.e2e.promql_names import exposed_names, metric_names, panel_queries, sample_value


@pytest.mark.parametrize(
    ("expr", "names"),
    [
        ('sum by (service) (rate(a_total{status=~"5.."}[5m])) / sum(rate(a_total[5m]))',
         {"a_total"}),
        ("histogram_quantile(0.95, sum by (le, kind) (rate(d_seconds_bucket[$__rate_interval])))",
         {"d_seconds_bucket"}),
        ('max by (upstream) (b_state) > bool 1 and on (upstream) c_info{x="by (y)"}',
         {"b_state", "c_info"}),
        ("rate(x_total[5m] offset 1h) * 1e3 + up", {"x_total", "up"}),
    ],
)
def test_metric_names_are_the_selected_series_only(expr: str, names: set[str]) -> None:
    assert metric_names(expr) == names


def test_queries_of_nested_panels_are_found() -> None:
    dashboard = {"panels": [{"type": "row", "panels": [
        {"title": "inner", "targets": [{"expr": "up"}]}]},
        {"title": "outer", "targets": [{"expr": "x_total"}, {"refId": "B"}]}]}
    assert list(panel_queries(dashboard)) == [("inner", "up"), ("outer", "x_total")]


def test_exposed_names_keep_the_suffixes_prometheus_sends() -> None:
    scrape = ("# TYPE d_seconds histogram\n"
              'd_seconds_bucket{le="1.0"} 1\nd_seconds_bucket{le="+Inf"} 1\n'
              "d_seconds_count 1\nd_seconds_sum 0.5\n"
              "# TYPE r_total counter\nr_total 3\n")
    assert exposed_names(scrape) == {"d_seconds_bucket", "d_seconds_count", "d_seconds_sum",
                                     "r_total"}
    assert sample_value(scrape, "d_seconds_bucket", le="+Inf") == 1
    assert sample_value(scrape, "r_total") == 3
    assert sample_value(scrape, "r_total", kind="x") is None
