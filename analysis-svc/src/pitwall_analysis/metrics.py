"""Prometheus metrics of model calls, narrative fallbacks, budget refusals and the facts memo.

Labels stay bounded: an ``outcome``, a fallback ``reason`` and a refusal ``scope`` from fixed
sets, a memo ``result`` (hit, miss). Never a user id, a session or a prompt.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

MODEL_CALLS = Counter(
    "pitwall_analysis_model_calls_total",
    "Narratives asked of the model, by outcome (ok, invalid_answer, timeout, rate_limited, "
    "http_error, unreachable, failed); retries inside one call are not counted apart",
    ["outcome"],
)
MODEL_CALL_DURATION = Histogram(
    "pitwall_analysis_model_call_duration_seconds",
    "Time a narrative took from the model, retries included, by outcome",
    ["outcome"],
    buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 45, 60),
)
FALLBACKS = Counter(
    "pitwall_analysis_narrative_fallbacks_total",
    "Narratives written by the deterministic writer instead of the model, by reason "
    "(no_model, user_limit, global_budget, limit_unchecked, model_unavailable, ungrounded)",
    ["reason"],
)
BUDGET_REFUSALS = Counter(
    "pitwall_analysis_model_budget_refusals_total",
    "Model calls the limits refused, by scope (user, global, unchecked)",
    ["scope"],
)
FACTS_MEMO_REQUESTS = Counter(
    "pitwall_analysis_facts_memo_requests_total",
    "Facts looked up in the memo, by result (hit: reused, miss: computed)",
    ["result"],
)
