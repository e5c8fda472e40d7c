"""Where ``limits`` counters live: this process's memory, or Redis shared by every replica."""

from __future__ import annotations

from limits.aio.storage import MemoryStorage, RedisStorage, Storage


def create_limit_storage(redis_url: str | None, key_prefix: str) -> Storage:
    """In-memory counters without ``redis_url``; otherwise Redis, keys under ``key_prefix``."""
    if not redis_url:
        return MemoryStorage()
    uri = redis_url if redis_url.startswith("async+") else f"async+{redis_url}"
    return RedisStorage(uri, implementation="redispy", key_prefix=key_prefix)


async def close_limit_storage(storage: Storage) -> None:
    """Stop the in-memory store's expiry timer; a Redis store's pool closes with the process."""
    if isinstance(storage, MemoryStorage):
        await storage.reset()
