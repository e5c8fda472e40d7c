"""All SQL touching the insight cache."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_analysis.models import CachedNarrative
from pitwall_shared.contracts.analysis import Narrative


class InsightCacheRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, key: str) -> Narrative | None:
        row = await self.session.scalar(select(CachedNarrative).where(CachedNarrative.key == key))
        return Narrative.model_validate_json(row.narrative_json) if row else None

    async def put(self, key: str, narrative: Narrative) -> None:
        """Store once; a concurrent request that stored the same key first wins."""
        row = CachedNarrative(key=key, model=narrative.model or "",
                              prompt_version=narrative.prompt_version,
                              narrative_json=narrative.model_dump_json())
        try:
            async with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            pass

    async def count(self) -> int:
        return int(await self.session.scalar(select(func.count()).select_from(CachedNarrative))
                   or 0)
