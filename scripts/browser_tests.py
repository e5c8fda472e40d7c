"""Run the web app's browser tests (frontend ``npm run e2e``) against a real stack.

Builds nothing itself: ``make test`` builds ``frontend/dist`` first. Starts the five services
on free loopback ports with the gateway serving the built app, runs the Playwright script
with ``PITWALL_URL`` pointing at the gateway, and stops the stack by PID.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.stack import FRONTEND_DIST, REPO_ROOT, Stack


def main() -> int:
    if not (FRONTEND_DIST / "index.html").exists():
        print("frontend/dist is missing: run `make frontend` first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="pitwall-browser-") as tmp, Stack.start(
        Path(tmp)
    ) as stack:
        env = {**os.environ, "PITWALL_URL": stack.url("gateway")}
        result = subprocess.run(
            ["npm", "run", "--silent", "e2e"],
            cwd=REPO_ROOT / "frontend",
            env=env,
            timeout=900,
            check=False,
        )
        if result.returncode != 0:
            for name in stack.ports:
                print(f"--- {name} log tail ---\n{stack.log_tail(name, 20)}", file=sys.stderr)
        return result.returncode


if __name__ == "__main__":
    sys.exit(main())
