"""Does a failed login reveal whether the account exists? Login latency by outcome.

Runs auth-svc in-process (its real lifespan, real argon2id at production cost, a fresh
database from ``temporary_database_url``: MariaDB when reachable) and interleaves three kinds
of sign-in so machine load hits all alike:

    .venv/bin/python bench/auth_login_timing.py [--rounds 30]

Baseline: a wrong password for a real account. Prints the median latency of each kind and
the ratio unknown-email / wrong-password (target: within 0.9-1.1, i.e. timing does not tell
the two apart) plus the successful login for scale.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager
from pydantic import SecretStr

from pitwall_auth.config import Settings
from pitwall_auth.main import create_app
from pitwall_auth.migrate import migrate
from pitwall_shared.testing import temporary_database_url

PASSWORD = "Grid-Walk-2024"  # noqa: S105 (a throwaway account in a throwaway database)


async def measure(database_url: str, data_dir: Path, rounds: int) -> dict[str, list[float]]:
    settings = Settings(
        environment="test",
        data_dir=data_dir,
        database_url=database_url,
        service_clients=SecretStr("report:bench-secret"),
        # The lockouts would otherwise end the experiment.
        login_max_failures=10**6,
        login_account_max_failures=10**6,
    )
    app = create_app(settings)
    timings: dict[str, list[float]] = {"unknown email": [], "wrong password": [], "success": []}
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://auth") as client:
            registered = await client.post(
                "/api/v1/auth/register",
                json={"email": "lena@example.com", "password": PASSWORD, "display_name": "L"},
            )
            registered.raise_for_status()
            attempts = {
                "unknown email": ("nobody-{i}@example.com", "Wrong-Pass-1", 401),
                "wrong password": ("lena@example.com", "Wrong-Pass-1", 401),
                "success": ("lena@example.com", PASSWORD, 200),
            }
            shuffler = random.Random(7)
            for i in range(rounds + 1):
                # Each round the success clears the real account's failure count, so both
                # failure kinds start from "no failures yet" and do the same database work.
                # Their order is shuffled so neither always runs right after the other.
                failures = ["unknown email", "wrong password"]
                shuffler.shuffle(failures)
                for kind in [*failures, "success"]:
                    email, password, expected = attempts[kind]
                    started = time.perf_counter()
                    response = await client.post(
                        "/api/v1/auth/login",
                        json={"email": email.format(i=i), "password": password},
                    )
                    elapsed = time.perf_counter() - started
                    assert response.status_code == expected, response.text
                    if i > 0:  # the first round warms caches and the connection pool
                        timings[kind].append(elapsed)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, temporary_database_url(Path(tmp)) as url:
        migrate(url)
        timings = asyncio.run(measure(url, Path(tmp), args.rounds))
    medians = {kind: statistics.median(values) for kind, values in timings.items()}
    for kind, value in medians.items():
        print(f"{kind:>15}: median {value * 1000:7.1f} ms over {len(timings[kind])} logins")
    ratio = medians["unknown email"] / medians["wrong password"]
    verdict = "ok" if 0.9 <= ratio <= 1.1 else "OUTSIDE 0.9-1.1"
    print(f"unknown email / wrong password = {ratio:.3f} ({verdict})")
    print(f"success / wrong password = {medians['success'] / medians['wrong password']:.3f}")


if __name__ == "__main__":
    main()
