"""What the containers may do: run as uid 10001 and write only to their volumes and tmpfs."""

from __future__ import annotations

import pytest

from tests.compose.stack import SERVICES, ComposeStack

# A directory each service writes to (a volume or tmpfs), from docker-compose.yml.
WRITABLE = {
    "gateway": "/tmp",
    "auth-svc": "/var/lib/pitwall",
    "telemetry-svc": "/var/lib/pitwall/snapshots",
    "analysis-svc": "/tmp",
    "report-svc": "/var/lib/pitwall/reports",
}
# Creates and removes a file in the directory given as its argument.
PROBE = (
    "import os, sys; path = os.path.join(sys.argv[1], '.write-probe'); "
    "open(path, 'w').close(); os.remove(path)"
)

# Prints "<name> <real> <effective> <saved> <filesystem uid>" for every process in /proc.
LIST_PROCESS_UIDS = """
import pathlib
for status in pathlib.Path("/proc").glob("[0-9]*/status"):
    try:
        lines = status.read_text().splitlines()
    except OSError:
        continue  # the process ended meanwhile
    uids = next(line for line in lines if line.startswith("Uid:")).split()[1:]
    print(lines[0].split()[1], *uids)
"""


@pytest.mark.parametrize("service", SERVICES)
def test_every_process_runs_as_uid_10001(stack: ComposeStack, service: str) -> None:
    # /proc of the container: every process, including the init that reaps workers.
    listing = stack.exec(service, "python", "-c", LIST_PROCESS_UIDS).stdout.splitlines()
    assert listing
    names = {line.split()[0] for line in listing}
    assert "python" in names or any(n.startswith("python") for n in names), names
    for line in listing:
        name, *uids = line.split()
        if name.startswith("runc:["):
            # The container runtime entering for an exec (the health check, every few
            # seconds): it switches to the image's user before it runs anything of ours.
            continue
        assert set(uids) == {"10001"}, f"{service}: {name} runs as {uids}"


@pytest.mark.parametrize("service", SERVICES)
def test_root_filesystem_is_read_only(stack: ComposeStack, service: str) -> None:
    assert stack.inspect(service)["HostConfig"]["ReadonlyRootfs"] is True
    for path in ("/app", "/", "/etc"):
        denied = stack.exec(service, "python", "-c", PROBE, path, check=False)
        assert denied.returncode != 0, f"{service} could write to {path}"
        assert "Read-only file system" in denied.stderr, denied.stderr[-300:]
    allowed = stack.exec(service, "python", "-c", PROBE, WRITABLE[service], check=False)
    assert allowed.returncode == 0, f"{service}: {WRITABLE[service]}: {allowed.stderr[-300:]}"
