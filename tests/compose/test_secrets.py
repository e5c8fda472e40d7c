"""No secret in an image: not in a layer, not in the build history, not in the config."""

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
PRIVATE_KEY = b"PRIVATE KEY-----"
# Files bigger than this are packages' data and wheels' binaries, not configuration.
SCANNED_BYTES = 256 * 1024


def secret_values(stack: ComposeStack) -> set[str]:
    return {v for k, v in stack.settings.items() if SECRET_NAME.search(k) and len(v) >= 8}


def layer_files(image: str) -> Iterator[tuple[str, bytes | None]]:
    """(path, content or None when too big) of every file in every layer of ``image``."""
    saver = subprocess.Popen([DOCKER, "save", image], stdout=subprocess.PIPE)
    assert saver.stdout is not None
    with tarfile.open(fileobj=saver.stdout, mode="r|") as outer:
        for member in outer:
            if not member.name.endswith("layer.tar") and "/blobs/" not in member.name:
                continue
            layer = outer.extractfile(member)
            if layer is None:
                continue
            try:
                with tarfile.open(fileobj=layer, mode="r|*") as inner:
                    for entry in inner:
                        if not entry.isfile():
                            continue
                        small = entry.size <= SCANNED_BYTES
                        data = inner.extractfile(entry) if small else None
                        yield entry.name, data.read() if data else None
            except tarfile.ReadError:
                continue  # a manifest or config blob, not a layer
    assert saver.wait() == 0


@pytest.mark.parametrize("service", SERVICES)
def test_image_carries_no_secret(stack: ComposeStack, service: str) -> None:
    image = stack.inspect(service)["Config"]["Image"]
    values = secret_values(stack)
    history = docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", image)
    config = docker("image", "inspect", image)
    for value in values:
        assert value not in history and value not in config, f"a secret is in {image}'s build"
    env = json.loads(config)[0]["Config"]["Env"]
    assert not [e for e in env if SECRET_NAME.search(e.partition("=")[0])], env

    found = []
    for path, content in layer_files(image):
        leaks = content is not None and (
            PRIVATE_KEY in content or any(v.encode() in content for v in values)
        )
        if leaks or SECRET_FILES.search(path):
            found.append(path)
    assert not found, f"{image} carries secret material: {found[:20]}"
