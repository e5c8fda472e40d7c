"""The prompt given to the model: the facts and nothing else, asking for structured JSON."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from openai.types.chat import ChatCompletionMessageParam
from pydantic import BaseModel, Field

PROMPT_VERSION = "facts-only-v3"
MAX_INSIGHTS = 8

SYSTEM_PROMPT = f"""You are a Formula 1 performance analyst writing for fans and journalists.
You receive FACTS computed from timing and telemetry data. Write between 3 and {MAX_INSIGHTS}
short, specific insights using ONLY those facts.
Rules:
- Every number you write must be copied from FACTS (you may round it to fewer decimals).
  Do not calculate new numbers, do not add outside knowledge, do not guess.
- Use driver abbreviations as given. Seconds as "0.14 s", speeds as "7 km/h"; lap times in
  seconds as in FACTS ("75.227 s"), never as minutes:seconds.
- For each insight list the numbers it cites in "figures" and the fact paths it used in
  "fact_refs" (for example "corners[3].time_delta_s").
Answer with one JSON object and nothing else:
{{"insights": [{{"text": "...", "figures": [0.14, 7], "fact_refs": ["..."]}}]}}"""


class ModelInsight(BaseModel):
    text: str = Field(min_length=1, max_length=600)
    figures: list[float] = Field(default_factory=list)
    fact_refs: list[str] = Field(default_factory=list)


class ModelAnswer(BaseModel):
    insights: list[ModelInsight] = Field(min_length=1, max_length=MAX_INSIGHTS + 4)


def canonical_facts(facts: dict[str, Any]) -> bytes:
    return orjson.dumps(facts, option=orjson.OPT_SORT_KEYS | orjson.OPT_SERIALIZE_NUMPY)


def cache_key(kind: str, facts: dict[str, Any], model: str) -> str:
    """Same facts, prompt and model give the same narrative, so it is cached under this."""
    digest = hashlib.sha256()
    for part in (kind.encode(), canonical_facts(facts), PROMPT_VERSION.encode(), model.encode()):
        digest.update(part)
        digest.update(b"\x00")
    return digest.hexdigest()


# What the race-weekend facts mean, so the model reads them as our code computed them.
KIND_NOTES = {
    "race_trace": "trace is columnar: gap_to_leader_s is seconds behind the car in P1 at the "
    "end of that lap number, interval_s to the car one place ahead; neutralisations are SC/VSC/"
    "red-flag lap ranges; drivers are in finishing order.",
    "strategy": "time_loss_s is a stop's cost against cars that did not pit on those laps; "
    "when it is null the cost was not measured: say so using the stop's note, never give a "
    "cost. battles are undercut/overcut outcomes; degradation_s_per_lap is the stint's slope.",
    "pace_distribution": "quantiles are of clean laps (rules.clean_lap); teams are ranked by "
    "median; teammates' median_delta_s is driver_b minus driver_a.",
    "qualifying_overview": "gap_to_pole_s is to the pole time; knocked_out_in names the segment "
    "a driver went out in; ideal_gain_s is best lap minus the sum of best sectors.",
}


def messages(
    kind: str, session: dict[str, Any], facts: dict[str, Any]
) -> list[ChatCompletionMessageParam]:
    payload = canonical_facts({"analysis": kind, "session": session, "facts": facts})
    note = f"ABOUT THESE FACTS: {KIND_NOTES[kind]}\n" if kind in KIND_NOTES else ""
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": note + "FACTS:\n" + payload.decode()},
    ]
