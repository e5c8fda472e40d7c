"""argon2id hashing off the event loop within a memory budget, a dummy verify for unknown
accounts, and the policy.

Password rule (also in the API docs): 10 to 128 characters, at least two of the classes
lower-case, upper-case, digit and other, not one of a short list of common passwords, and
not containing the email's local part.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pitwall_auth.config import Settings
from pitwall_auth.hash_slots import HashSlots, slots_for_budget

MIN_LENGTH = 10
MAX_LENGTH = 128
PASSWORD_RULE = (
    f"{MIN_LENGTH} to {MAX_LENGTH} characters, mixing at least two of lower-case letters, "
    "upper-case letters, digits and other characters; not a common password and not "
    "containing your email name"
)

# Lower-cased: common passwords of ten or more characters, and obvious ones for this site.
COMMON_PASSWORDS = frozenset(
    {
        "password123",
        "password1234",
        "password12345",
        "password!123",
        "passw0rd123",
        "1234567890",
        "12345678910",
        "123456789a",
        "1q2w3e4r5t",
        "1q2w3e4r5t6y",
        "qwertyuiop",
        "qwerty12345",
        "qwerty123456",
        "1qaz2wsx3edc",
        "zaq12wsxcde3",
        "iloveyou123",
        "letmein123",
        "welcome123",
        "football123",
        "abc1234567",
        "administrator",
        "admin12345",
        "changeme123",
        "trustno1234",
        "formula1234",
        "formulaone1",
        "michaelschumacher",
        "lewishamilton44",
        "maxverstappen1",
    }
)


def password_problems(password: str, email: str | None = None) -> list[str]:
    """Why ``password`` is too weak, in words a user can act on; empty when it is fine."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"use at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        problems.append(f"use at most {MAX_LENGTH} characters")
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if classes < 2:
        problems.append(
            "mix at least two kinds of character (lower-case, upper-case, digits, others)"
        )
    if password.lower() in COMMON_PASSWORDS:
        problems.append("this password is on lists of common passwords")
    local_part = (email or "").partition("@")[0].lower()
    if len(local_part) >= 4 and local_part in password.lower():
        problems.append("do not include your email name in the password")
    return problems


class PasswordService:
    """Hashes and verifies on a bounded pool: argon2 is deliberately slow and memory-hard.

    Callers wrap their hashing in ``admission()`` so that a request refused for lack of
    room is refused before it changes anything.
    """

    def __init__(
        self,
        *,
        time_cost: int,
        memory_kib: int,
        parallelism: int,
        memory_budget_mb: int,
        queue_limit: int,
        max_wait_seconds: float = 4.0,
    ) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism
        )
        self._slots = HashSlots(
            slots=slots_for_budget(memory_budget_mb, memory_kib), queue_limit=queue_limit,
            max_wait_seconds=max_wait_seconds,
        )
        # Hashed with today's parameters, so checking an unknown account costs the same
        # as checking a real one.
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    @classmethod
    def from_settings(cls, settings: Settings) -> PasswordService:
        return cls(
            time_cost=settings.argon2_time_cost,
            memory_kib=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
            memory_budget_mb=settings.hash_memory_budget_mb,
            queue_limit=settings.hash_queue_limit,
            max_wait_seconds=settings.hash_max_wait_seconds,
        )

    @property
    def slots(self) -> int:
        return self._slots.slots

    @contextmanager
    def admission(self) -> Iterator[None]:
        with self._slots.admission():
            yield

    async def hash(self, password: str) -> str:
        return await self._slots.run(self._hasher.hash, password)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """False for a wrong password and for ``None`` (no such account), at equal cost."""
        if password_hash is None:
            await self._slots.run(self._verify, self._dummy_hash, password)
            return False
        return await self._slots.run(self._verify, password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)

    def close(self) -> None:
        self._slots.close()
