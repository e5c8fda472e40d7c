"""argon2id hashing off the event loop, a dummy verify for unknown accounts, and the policy.

Password rule (also in the API docs): 10 to 128 characters, at least two of the classes
lower-case, upper-case, digit and other, not one of a short list of common passwords, and
not containing the email's local part.
"""

from __future__ import annotations

import asyncio
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

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
    """Hashes and verifies in a worker thread: argon2 is deliberately slow and CPU-bound."""

    def __init__(self, *, time_cost: int, memory_kib: int, parallelism: int) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism
        )
        # Hashed with today's parameters, so checking an unknown account costs the same
        # as checking a real one.
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """False for a wrong password and for ``None`` (no such account), at equal cost."""
        if password_hash is None:
            await asyncio.to_thread(self._verify, self._dummy_hash, password)
            return False
        return await asyncio.to_thread(self._verify, password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)
