"""Who writes the narrative: the cached or live model answer, grounded, else the writer."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitwall_analysis import metrics
from pitwall_analysis.narrative import deterministic
from pitwall_analysis.narrative.grounding import GROUNDING_RULE, ground
from pitwall_analysis.narrative.limits import FALLBACK_REASONS, ModelCallLimiter
from pitwall_analysis.narrative.model_writer import ModelUnavailableError, ModelWriter
from pitwall_analysis.narrative.prompt import PROMPT_VERSION, cache_key
from pitwall_analysis.repositories.insight_cache import InsightCacheRepository
from pitwall_shared.contracts.analysis import Insight, Narrative

log = logging.getLogger("pitwall.analysis.narrator")


class Narrator:
    def __init__(self, writer: ModelWriter | None, limiter: ModelCallLimiter,
                 sessions: async_sessionmaker[AsyncSession]) -> None:
        self.writer = writer
        self.limiter = limiter
        self.sessions = sessions

    async def _cached(self, key: str) -> Narrative | None:
        """The cache saves model calls; an unreachable database must not fail the analysis."""
        try:
            async with self.sessions() as db:
                return await InsightCacheRepository(db).get(key)
        except (SQLAlchemyError, OSError) as error:
            log.warning("insight cache unavailable for reading: %s", type(error).__name__)
            return None

    async def _store(self, key: str, narrative: Narrative) -> None:
        try:
            async with self.sessions() as db:
                await InsightCacheRepository(db).put(key, narrative)
                await db.commit()
        except (SQLAlchemyError, OSError) as error:
            log.warning("insight cache unavailable for writing: %s", type(error).__name__)

    def deterministic(self, kind: str, facts: dict[str, Any], reason: str,
                      dropped: list[str] | None = None, *, counted_as: str) -> Narrative:
        """The writer's narrative; ``counted_as`` is the fallback's metrics label."""
        metrics.FALLBACKS.labels(counted_as).inc()
        return Narrative(
            source="deterministic", model=None, insights=deterministic.write(kind, facts),
            dropped_claims=dropped or [], prompt_version=PROMPT_VERSION,
            fallback_reason=reason, grounding_rule=GROUNDING_RULE,
        )

    async def narrate(
        self,
        kind: str,
        session: dict[str, Any],
        facts: dict[str, Any],
        *,
        user_id: str,
    ) -> Narrative:
        if self.writer is None:
            return self.deterministic(kind, facts, "no model is configured (OPENAI_API_KEY)",
                                      counted_as="no_model")
        key = cache_key(kind, {"session": session, "facts": facts}, self.writer.model)
        cached = await self._cached(key)
        if cached is not None:
            return cached.model_copy(update={"cached": True})
        refusal = await self.limiter.refusal(user_id)
        if refusal is not None:
            return self.deterministic(kind, facts, refusal,
                                      counted_as=FALLBACK_REASONS[refusal])
        try:
            answer = await self.writer.write(kind, session, facts)
        except ModelUnavailableError as error:
            log.warning("narrative falls back to the deterministic writer: %s", error)
            return self.deterministic(kind, facts, str(error), counted_as="model_unavailable")
        claims = [Insight(text=i.text, figures=i.figures, fact_refs=i.fact_refs)
                  for i in answer.insights]
        kept, dropped = ground(claims, facts, session)
        if not kept:
            return self.deterministic(
                kind, facts, "no claim of the model's answer matched the facts", dropped,
                counted_as="ungrounded")
        narrative = Narrative(
            source="model", model=self.writer.model, insights=kept, dropped_claims=dropped,
            prompt_version=PROMPT_VERSION, grounding_rule=GROUNDING_RULE,
        )
        await self._store(key, narrative)
        return narrative
