"""End-to-end fixtures: one real stack (five processes on free loopback ports) for the session.

Every module that needs no configuration of its own shares ``stack`` (a stack start costs
about ten seconds of CPU: five interpreters importing FastAPI, pandas, FastF1 and WeasyPrint,
and three migration runs). Their tests do not depend on one another's state: each signs up
its own users (unique emails) and reads only what they own. Modules that need a different
environment (a model server, Redis, a throwaway MariaDB, trusted proxies, a stack stopped to
read its logs) define their own ``stack`` or ``gateway`` fixture, which overrides these.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from scripts.stack import Stack, new_account_token

# All the shared stack's traffic comes from one address, and fuzzing sends thousands of
# requests as one user: the default limits (20 sign-ins a minute per address) would refuse
# the modules' sign-ups. The limits themselves are tested in gateway/tests and, through real
# processes, in test_dashboard_metrics and test_sign_in_abuse.
GENEROUS_LIMITS = {
    "GATEWAY_RATE_LIMIT_PER_IP": "1000000/minute",
    "GATEWAY_RATE_LIMIT_PER_USER": "1000000/minute",
    "GATEWAY_RATE_LIMIT_LOGIN": "1000000/minute",
}


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with Stack.start(tmp_path_factory.mktemp("stack"), env=GENEROUS_LIMITS) as running:
        yield running


@pytest.fixture(scope="module")
def gateway(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.url("gateway"), timeout=60) as client:
        yield client


@pytest.fixture(scope="session")
def api(stack: Stack) -> tuple[str, dict[str, str]]:
    """The shared stack's gateway and a signed-in user of its own, for the fuzzing suites."""
    base = stack.url("gateway")
    return base, {"Authorization": f"Bearer {new_account_token(base, 'fuzz')}"}
