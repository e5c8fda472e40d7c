"""The prompt given to the model: the facts and nothing else, asking for structured JSON."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from openai.types.chat import ChatCompletionMessageParam
from pydantic import BaseModel, Field

PROMPT_VERSION = "facts-only-v2"
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


def messages(
    kind: str, session: dict[str, Any], facts: dict[str, Any]
) -> list[ChatCompletionMessageParam]:
    payload = canonical_facts({"analysis": kind, "session": session, "facts": facts})
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "FACTS:\n" + payload.decode()},
    ]
