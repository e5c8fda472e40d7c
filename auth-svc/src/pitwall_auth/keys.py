"""Ed25519 signing keys kept as PEM files, published as a JWKS, rotated with overlap.

Each key lives in ``<keys_dir>/<kid>.pem``; the kid starts with the key's creation time
(``20261127T060000123456Z-3f9a1c``) so the newest key, which signs, is known without a side file.
Older keys stay published until their successor is older than the overlap, so tokens they
signed keep verifying until they expire.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

log = logging.getLogger("pitwall.auth.keys")

_KID_TIME_FORMAT = "%Y%m%dT%H%M%S%fZ"
_KID_PATTERN = re.compile(r"^(\d{8}T\d{12}Z)-[0-9a-f]{6,}$")


class KeysMissingError(RuntimeError):
    """No signing key exists where one is required (production never invents keys)."""


@dataclass(frozen=True)
class SigningKey:
    kid: str
    created_at: datetime
    private_key: Ed25519PrivateKey = field(repr=False)

    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(
            jwt.algorithms.OKPAlgorithm.to_jwk(self.private_key.public_key())
        )
        jwk.update({"kid": self.kid, "use": "sig", "alg": "EdDSA"})
        return jwk


def _created_at(path: Path) -> datetime:
    match = _KID_PATTERN.match(path.stem)
    if match:
        return datetime.strptime(match.group(1), _KID_TIME_FORMAT).replace(tzinfo=UTC)
    # A key placed by hand under another name: its file time is the best we know.
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def _load_key(path: Path) -> SigningKey:
    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise ValueError(f"{path.name} is not an Ed25519 private key")
    return SigningKey(kid=path.stem, created_at=_created_at(path), private_key=private)


def key_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.pem")) if directory.is_dir() else []


def load_keys(directory: Path) -> list[SigningKey]:
    """All keys in ``directory``, oldest first."""
    return sorted((_load_key(p) for p in key_files(directory)), key=lambda k: k.created_at)


def generate_key(directory: Path, *, now: datetime | None = None) -> SigningKey:
    now = now or datetime.now(UTC)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    kid = f"{now.strftime(_KID_TIME_FORMAT)}-{secrets.token_hex(3)}"
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = directory / f"{kid}.pem"
    # Written under a temporary name, then renamed, so a reader never sees half a key.
    partial = directory / f".{kid}.tmp"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    partial.rename(path)
    return SigningKey(kid=kid, created_at=now, private_key=private)


@dataclass(frozen=True)
class RotationResult:
    added: str
    retired: list[str]
    published: list[str]


def rotate_keys(
    directory: Path, *, overlap: timedelta, now: datetime | None = None
) -> RotationResult:
    """Add a new signing key and delete keys whose successor is older than ``overlap``."""
    now = now or datetime.now(UTC)
    added = generate_key(directory, now=now)
    keys = load_keys(directory)
    retired: list[str] = []
    for older, successor in itertools.pairwise(keys):
        if now - successor.created_at >= overlap:
            (directory / f"{older.kid}.pem").unlink()
            retired.append(older.kid)
    published = [k.kid for k in keys if k.kid not in retired]
    return RotationResult(added=added.kid, retired=retired, published=published)


def ensure_keys(directory: Path, *, environment: str) -> None:
    """Outside prod a first start gets a fresh key; prod must be given its keys."""
    if key_files(directory):
        return
    if environment == "prod":
        raise KeysMissingError(
            f"No signing keys in {directory}. Mount them there or run "
            "'python -m pitwall_auth rotate-keys' to create the first one."
        )
    key = generate_key(directory)
    log.warning("created signing key %s in %s (no keys were present)", key.kid, directory)


class KeyRing:
    """The keys this process signs and verifies with, re-read when the directory changes."""

    def __init__(self, directory: Path, *, rescan_seconds: float = 30.0) -> None:
        self.directory = directory
        self._rescan_seconds = rescan_seconds
        self._keys: list[SigningKey] = []
        self._names: tuple[str, ...] = ()
        self._scanned_at = 0.0

    def load(self) -> None:
        names = tuple(p.name for p in key_files(self.directory))
        if names != self._names:
            keys = load_keys(self.directory)
            if not keys:
                raise KeysMissingError(f"No signing keys in {self.directory}")
            self._keys, self._names = keys, names
            log.info("signing keys loaded: %s", ", ".join(k.kid for k in keys))
        self._scanned_at = time.monotonic()

    def _fresh(self) -> list[SigningKey]:
        if time.monotonic() - self._scanned_at >= self._rescan_seconds:
            try:
                self.load()
            except (OSError, ValueError, KeysMissingError):
                # Keep serving the keys we have; a half-finished rotation must not stop us.
                log.exception("re-reading signing keys failed; keeping the loaded ones")
        return self._keys

    def signing_key(self) -> SigningKey:
        return self._fresh()[-1]

    def find(self, kid: str) -> SigningKey | None:
        return next((k for k in self._fresh() if k.kid == kid), None)

    def jwks(self) -> dict[str, Any]:
        return {"keys": [k.public_jwk() for k in reversed(self._fresh())]}
