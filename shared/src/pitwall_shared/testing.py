"""Helpers for the services' own test suites (imported only from tests).

``database_urls()`` yields a fresh, empty database per test: a throwaway schema on the
MariaDB/MySQL at ``PITWALL_TEST_MYSQL`` (default 127.0.0.1:3306, root) when reachable,
else a SQLite file in a temp dir. Set ``PITWALL_TEST_DB=sqlite`` to force SQLite.
"""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from collections.abc import Iterator
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
    conn = pymysql.connect(
        host=base.host or "127.0.0.1",
        port=base.port or 3306,
        user=base.username or "root",
        password=base.password or "",
    )
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
