"""Where ``pitwall login`` keeps its sign-in: the user's config directory, owner-only.

The file holds the API URL, the email, and the refresh token (rotated on every renewal,
so it is rewritten each time); never the password. Directory 0700, file 0600, written
atomically so a crash cannot leave half a file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pitwall_client.flows import Credentials

FILE_NAME = "credentials.json"


def config_dir() -> Path:
    """``PITWALL_CONFIG_DIR``, else the platform's user config directory for pitwall."""
    override = os.environ.get("PITWALL_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("pitwall"))


def credentials_path() -> Path:
    return config_dir() / FILE_NAME


def load() -> dict[str, Any] | None:
    path = credentials_path()
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def save(data: dict[str, Any]) -> Path:
    directory = config_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory.chmod(0o700)
    path = directory / FILE_NAME
    temporary = directory / f".{FILE_NAME}.{os.getpid()}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle)
    os.chmod(temporary, 0o600)  # a umask cannot widen it, but an existing file kept its mode
    os.replace(temporary, path)
    return path


def remove() -> bool:
    try:
        credentials_path().unlink()
    except FileNotFoundError:
        return False
    return True


def keeper(url: str, email: str | None) -> Any:
    """An ``on_change`` callback saving each new refresh token with the URL and email."""
    def keep(credentials: Credentials) -> None:
        save({"url": url, "email": email, "refresh_token": credentials.refresh_token,
              "access_token": credentials.access_token, "expires_at": credentials.expires_at})

    return keep
