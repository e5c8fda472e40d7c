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


@pytest.mark.parametrize("service", SERVICES)
def test_every_process_runs_as_uid_10001(stack: ComposeStack, service: str) -> None:
    # /proc of the container: every process, including the init that reaps workers.
    listing = stack.exec(
        service, "python", "-c",
        "import pathlib\n"
        "for p in pathlib.Path('/proc').glob('[0-9]*/status'):\n"
        "    try: lines = p.read_text().splitlines()\n"
        "    except OSError: continue\n"
        "    uid = next(l for l in lines if l.startswith('Uid:')).split()[1:]\n"
        "    name = lines[0].split()[1]\n"
        "    print(name, *uid)\n",
    ).stdout.splitlines()
    assert listing
    names = {line.split()[0] for line in listing}
    assert "python" in names or any(n.startswith("python") for n in names), names
    for line in listing:
        name, *uids = line.split()
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
