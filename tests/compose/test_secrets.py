"""No secret in an image: not in its files, not in the build history, not in the config.

The runtime stages copy only /app from the build (the environment, the web app, the sample
pack and the probes) onto the base image and Debian packages, so /app is what our layers
can carry; the build history and the image config cover the rest."""

from __future__ import annotations

import json
import re
import subprocess
import tarfile
from collections.abc import Iterator

import pytest

from tests.compose.stack import DOCKER, SERVICES, ComposeStack, docker

SECRET_NAME = re.compile(r"(PASSWORD|SECRET|API_KEY)$")
SECRET_FILES = re.compile(r"(^|/)(\.env(\..*)?|id_rsa|id_ed25519|[^/]*\.(key|p12))$")
# A PEM private key: the armour line followed by key material (code merely naming the
# armour, as cryptography's ssh.py does, is not a key).
PRIVATE_KEY = re.compile(rb"-----BEGIN [A-Z ]*PRIVATE KEY-----\r?\n[A-Za-z0-9+/=\r\n]{64}")
# Files bigger than this are packages' data and wheels' binaries, not configuration.
SCANNED_BYTES = 256 * 1024


def secret_values(stack: ComposeStack) -> set[str]:
    return {v for k, v in stack.settings.items() if SECRET_NAME.search(k) and len(v) >= 8}


def app_files(container: str) -> Iterator[tuple[str, bytes | None]]:
    """(path, content or None when too big) of every file under /app, the tree the image's
    own layers add on top of its base (environment, web app, sample pack, probes)."""
    copier = subprocess.Popen([DOCKER, "cp", f"{container}:/app", "-"], stdout=subprocess.PIPE)
    assert copier.stdout is not None
    with tarfile.open(fileobj=copier.stdout, mode="r|") as tree:
        for entry in tree:
            if not entry.isfile():
                continue
            data = tree.extractfile(entry) if entry.size <= SCANNED_BYTES else None
            yield entry.name, data.read() if data else None
    assert copier.wait() == 0


@pytest.mark.parametrize("service", SERVICES)
def test_image_carries_no_secret(stack: ComposeStack, service: str) -> None:
    inspected = stack.inspect(service)
    image = inspected["Config"]["Image"]
    values = secret_values(stack)
    history = docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", image)
    config = docker("image", "inspect", image)
    for value in values:
        assert value not in history and value not in config, f"a secret is in {image}'s build"
    env = json.loads(config)[0]["Config"]["Env"]
    assert not [e for e in env if SECRET_NAME.search(e.partition("=")[0])], env

    found = []
    for path, content in app_files(inspected["Id"]):
        leaks = content is not None and (
            PRIVATE_KEY.search(content) is not None or any(v.encode() in content for v in values)
        )
        if leaks or SECRET_FILES.search(path):
            found.append(path)
    assert not found, f"{image} carries secret material: {found[:20]}"
