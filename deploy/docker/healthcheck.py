"""Container health probe: GET /healthz on the service's own port, exit 0 when it answers 200.

Slim images carry no curl, so the probe uses the interpreter already in the image. The
service's env prefix is the only argument; the port comes from ``<PREFIX>PORT`` (set in the
image, overridable at run time) so the probe follows the port the service really binds.
"""

from __future__ import annotations

import os
import sys
import urllib.request

HEALTH_PATH = "/healthz"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: healthcheck.py <ENV_PREFIX>", file=sys.stderr)
        return 2
    port = os.environ.get(f"{argv[1]}PORT", "")
    if not port.isdigit():
        print(f"{argv[1]}PORT is not set to a port number", file=sys.stderr)
        return 1
    url = f"http://127.0.0.1:{port}{HEALTH_PATH}"
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return 0 if response.status == 200 else 1
    except OSError as exc:
        print(f"{url}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
