"""Helpers for the services' own test suites (imported only from tests).

``temporary_database_url()`` yields a fresh, empty database: a throwaway schema on the
MariaDB/MySQL at ``PITWALL_TEST_MYSQL`` (default 127.0.0.1:3306, root) when reachable,
else a SQLite file in a temp dir. Set ``PITWALL_TEST_DB=sqlite`` to force SQLite.
``MigratedDatabase`` is one such database migrated once and emptied between tests, for the
suites that would otherwise create and migrate a database for every test.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pymysql

from pitwall_shared.tokens import JwksKeyStore, TokenVerifier

DEFAULT_MYSQL = "mysql://root@127.0.0.1:3306"


def _mysql_base() -> str:
    return os.environ.get("PITWALL_TEST_MYSQL", DEFAULT_MYSQL)


def mysql_available() -> bool:
    if os.environ.get("PITWALL_TEST_DB") == "sqlite":
        return False
    from sqlalchemy.engine import make_url

    url = make_url(_mysql_base())
    try:
        with socket.create_connection((url.host or "127.0.0.1", url.port or 3306), timeout=1):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def temporary_database_url(tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database that is dropped afterwards."""
    if not mysql_available():
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    from sqlalchemy.engine import make_url

    base = make_url(_mysql_base())
    name = f"pitwall_test_{uuid.uuid4().hex[:12]}"
    conn = _mysql_connect(_mysql_base())
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        yield base.set(database=name).render_as_string(hide_password=False) + "?charset=utf8mb4"
    finally:
        with conn.cursor() as cur:
            # A test that leaked a connection must not hang the drop for MariaDB's
            # default lock wait (a year).
            cur.execute("SET SESSION lock_wait_timeout = 10")
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        conn.close()


class MigratedDatabase:
    """One temporary database, migrated once, handed to test after test with its rows deleted.

    Creating a database and running the Alembic migrations costs about a second per test on
    MariaDB; deleting the rows of a few small tables costs milliseconds. What a test sees is
    the same: the migrated schema with no rows. The migrations seed no rows and the schemas
    use no auto-increment keys, so nothing else of a used database shows. A test that changed
    the set of tables gets a freshly created and migrated database after it instead.
    """

    def __init__(self, tmp_path: Path, migrate: Callable[[str], None]) -> None:
        self._tmp_path = tmp_path
        self._migrate = migrate
        self._exits = contextlib.ExitStack()
        self.url = ""
        self._tables: frozenset[str] = frozenset()

    def __enter__(self) -> MigratedDatabase:
        self._create()
        return self

    def __exit__(self, *exc: object) -> None:
        self._exits.close()

    def _create(self) -> None:
        self._exits.close()
        self._tmp_path.mkdir(parents=True, exist_ok=True)
        self.url = self._exits.enter_context(temporary_database_url(self._tmp_path))
        self._migrate(self.url)
        self._tables = frozenset(_table_names(self.url))

    def emptied(self) -> str:
        """The URL, every row of every table (but the migration version tables) deleted."""
        tables = _table_names(self.url)
        if frozenset(tables) != self._tables:
            self._create()
            return self.url
        _delete_rows(self.url, [t for t in tables if not t.startswith("alembic_version")])
        return self.url


def _table_names(url: str) -> list[str]:
    if url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
            rows = conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
        return sorted(str(row[0]) for row in rows)
    with contextlib.closing(_mysql_connect(url)) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"
        )
        return sorted(str(row[0]) for row in cur.fetchall())


def _delete_rows(url: str, tables: list[str]) -> None:
    if url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
            conn.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                conn.execute(f'DELETE FROM "{table}"')  # noqa: S608 - names from the schema
            conn.commit()
        return
    with contextlib.closing(_mysql_connect(url)) as conn, conn.cursor() as cur:
        # A connection a finished test left open must not hold the deletes for minutes.
        cur.execute("SET SESSION innodb_lock_wait_timeout = 10")
        cur.execute("SET SESSION foreign_key_checks = 0")
        for table in tables:
            cur.execute(f"DELETE FROM `{table}`")  # noqa: S608 - names from the schema
        conn.commit()


def _mysql_connect(url: str) -> pymysql.connections.Connection[Any]:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return pymysql.connect(
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 3306,
        user=parsed.username or "root",
        password=parsed.password or "",
        database=parsed.database,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TestSigner:
    """Signs access tokens the way auth-svc does, for testing a service on its own.

    Stands in for auth-svc only where auth-svc is not what is under test; the end-to-end
    tests use the real one.
    """

    __test__ = False  # not a pytest test class

    def __init__(self, issuer: str = "pitwall-auth", audience: str = "pitwall") -> None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        self.issuer = issuer
        self.audience = audience
        self.private_key = Ed25519PrivateKey.generate()
        self.kid = uuid.uuid4().hex[:16]

    def jwks(self) -> dict[str, object]:
        import json

        import jwt

        public = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(self.private_key.public_key()))
        public.update({"kid": self.kid, "use": "sig", "alg": "EdDSA"})
        return {"keys": [public]}

    def token(
        self, sub: str = "user-1", role: str = "user", ttl: int = 600, **claims: object
    ) -> str:
        import time

        import jwt

        now = int(time.time())
        payload = {
            "sub": sub,
            "role": role,
            "typ": "access",
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            "jti": uuid.uuid4().hex,
            **claims,
        }
        return jwt.encode(payload, self.private_key, algorithm="EdDSA", headers={"kid": self.kid})

    def verifier(self) -> TokenVerifier:
        import httpx

        jwks = self.jwks()
        client = httpx.AsyncClient(
            transport=httpx.MockTransport(lambda _r: httpx.Response(200, json=jwks))
        )
        store = JwksKeyStore(
            "http://auth.invalid/.well-known/jwks.json", client, cache_seconds=10**9
        )
        store.load_jwks(jwks)
        return TokenVerifier(store, issuer=self.issuer, audience=self.audience)


LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"


@contextlib.contextmanager
def redis_key_prefix(name: str) -> Iterator[str]:
    """A unique key prefix on the Redis at 127.0.0.1:6379, its keys deleted afterwards.

    CI starts Redis, so there a missing one fails the test instead of quietly skipping it.
    """
    import pytest
    import redis

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            pass
    except OSError:
        (pytest.fail if os.environ.get("CI") else pytest.skip)("no Redis on 127.0.0.1:6379")
    prefix = f"{name}-{uuid.uuid4().hex[:10]}"
    try:
        yield prefix
    finally:
        client = redis.Redis.from_url(LOCAL_REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()


def generated_requests_settings(examples: int) -> Any:
    """Hypothesis settings for schemathesis runs over an OpenAPI document: a fixed number of
    cases per operation, the same cases on every run (derandomized, no example database), and
    no health checks (a slow real service is the point, not a problem)."""
    from hypothesis import HealthCheck, Phase, settings

    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
