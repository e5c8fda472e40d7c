"""Reading this process's Prometheus samples in tests: how far a metric moved since a mark.

Imported only from tests. Samples are keyed by name and labels exactly as exported, so a
test names the series it expects (``_total``, ``_count``, ``_bucket`` included).
"""

from __future__ import annotations

from prometheus_client import REGISTRY

SampleKey = tuple[str, tuple[tuple[str, str], ...]]


def _key(name: str, labels: dict[str, str]) -> SampleKey:
    return name, tuple(sorted(labels.items()))


def sample(name: str, **labels: str) -> float:
    """The sample's current value; 0 for a series not created yet."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


class MetricMoves:
    """Marks every sample now; calling it later tells how far one has moved since."""

    def __init__(self) -> None:
        self._start: dict[SampleKey, float] = {
            _key(s.name, s.labels): s.value
            for family in REGISTRY.collect()
            for s in family.samples
        }

    def __call__(self, name: str, **labels: str) -> float:
        return sample(name, **labels) - self._start.get(_key(name, labels), 0.0)
