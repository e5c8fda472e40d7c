"""The grounding check: every figure a claim cites must match a number in the facts.

Tolerance: a figure written with k decimals matches a fact when it differs from it by at
most half a unit in its last written place (so "0.14" matches 0.138 and "7" matches 6.6),
plus 1e-9 for float noise. Signs are ignored because prose carries direction in words
("gained", "lost"). Numbers after letters ("T4", "Q3", "S1") are labels, not figures; a
unit after a number ("0.14s") still leaves it a figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np

from pitwall_shared.contracts.analysis import Insight

GROUNDING_RULE = (
    "every number in a claim must equal a fact after rounding the fact to the decimals "
    "the claim wrote (|figure - fact| <= half a unit in the figure's last place); signs "
    "ignored; numbers attached to letters (T4, Q3) are labels"
)
# A unit glued to a number ("0.14s", "7kph") must not hide it from the check, so only a
# letter *before* the digits marks a label.
FIGURE = re.compile(r"(?<![A-Za-z0-9_.])[-+\u2212]?(\d+(?:\.\d+)?)(?![\d.]\d)")


def fact_values(*sources: Any) -> np.ndarray:
    values: list[float] = []

    def walk(node: Any) -> None:
        if isinstance(node, bool):
            return
        if isinstance(node, int | float):
            if np.isfinite(node):
                values.append(abs(float(node)))
        elif isinstance(node, dict):
            for item in node.values():
                walk(item)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)

    for source in sources:
        walk(source)
    return np.unique(np.array(values, dtype=np.float64))


def figures_in(text: str) -> list[str]:
    return [match.group(1) for match in FIGURE.finditer(text.replace(",", ""))]


def _decimals(figure: str) -> int:
    return len(figure.split(".", 1)[1]) if "." in figure else 0


def figure_is_grounded(figure: str | float, values: np.ndarray) -> bool:
    # 10 significant digits drop float noise such as 0.30000000000000004.
    text = figure if isinstance(figure, str) else format(float(figure), ".10g")
    number = abs(float(text))
    tolerance = 0.5 * 10.0 ** -_decimals(text) + 1e-9
    if values.size == 0:
        return False
    index = int(np.searchsorted(values, number))
    neighbours = values[max(index - 1, 0): index + 1]
    return bool(np.any(np.abs(neighbours - number) <= tolerance))


def ungrounded_figures(insight: Insight, values: np.ndarray) -> list[str]:
    cited: Iterable[str | float] = [*figures_in(insight.text), *insight.figures]
    return [str(f) for f in cited if not figure_is_grounded(f, values)]


def ground(insights: list[Insight], *fact_sources: Any) -> tuple[list[Insight], list[str]]:
    """Split claims into those whose every figure matches a fact and the dropped rest."""
    values = fact_values(*fact_sources)
    kept, dropped = [], []
    for insight in insights:
        missing = ungrounded_figures(insight, values)
        if missing:
            dropped.append(f"{insight.text} [unmatched: {', '.join(missing)}]")
        else:
            kept.append(insight)
    return kept, dropped
