"""Number formatting and the insight constructor the deterministic writers share.

Every number they write is copied from the facts with the facts' own rounding (or fewer
decimals), so their output passes the same grounding check a model's does.
"""

from __future__ import annotations

from pitwall_shared.contracts.analysis import Insight


def seconds(value: float) -> str:
    return f"{abs(value):.3f}".rstrip("0").rstrip(".") if abs(value) >= 0.001 else "0"


def insight(text: str, figures: list[float | None], refs: list[str]) -> Insight:
    return Insight(text=text, figures=[abs(f) for f in figures if f is not None], fact_refs=refs)
