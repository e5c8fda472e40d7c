"""Run the web app's browser tests (frontend ``npm run e2e``) against a real stack.

Builds nothing itself: ``make test`` builds ``frontend/dist`` first. Starts the five services
on free loopback ports with the gateway serving the built app, runs the Playwright script
with ``PITWALL_URL`` pointing at the gateway, and stops the stack by PID.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.stack import FRONTEND_DIST, REPO_ROOT, Stack

RESULTS_FILE = REPO_ROOT / "frontend" / "test-artifacts" / "results.json"


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
            print(failed_steps(), file=sys.stderr)
        return result.returncode


def failed_steps() -> str:
    """The failed steps and their errors, printed last so a truncated CI log still shows them."""
    try:
        results = json.loads(RESULTS_FILE.read_text())
    except (OSError, ValueError):
        return f"--- no step results in {RESULTS_FILE}: the run ended before its summary ---"
    failed = [f"✗ {r['name']}\n    {r.get('error', '')[:1500]}" for r in results if not r["ok"]]
    return "--- failed browser steps ---\n" + "\n".join(failed)


if __name__ == "__main__":
    sys.exit(main())
