"""The web app's cost on top of the API: the compare page in Chromium vs its API calls alone.

Starts the whole stack (the gateway serving ``frontend/dist``) on free loopback ports and runs
``frontend/e2e/bench.mjs``, which measures in one browser, in the same run:

- baseline: the five API calls the compare page needs (session, laps, circuit, two-lap
  comparison, lap-comparison insights), fetched in parallel from the page;
- the page: navigating to the NOR vs PIA comparison until traces, track map and insights are
  drawn.

    .venv/bin/python bench/frontend_compare_page.py [--rounds 7]

Target: the page is ready within 6x the time of its API calls. The API calls take ~0.1 s
here; loading the HTML and the bundle, booting the app and the browser's own layout and paint
add a few hundred ms (a CPU profile shows the app's JavaScript at ~15 ms per load, the rest is
the browser), so the ratio mostly tracks how busy the machine is. Needs npm, a built frontend
and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.stack import FRONTEND_DIST, REPO_ROOT, Stack

TARGET_RATIO = 6.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    if not (FRONTEND_DIST / "index.html").exists() or not Path("/usr/bin/chromium").exists():
        print("skipped: needs frontend/dist (make frontend) and /usr/bin/chromium")
        return 0
    with tempfile.TemporaryDirectory(prefix="pitwall-bench-") as tmp, Stack.start(
        Path(tmp)
    ) as stack:
        result = subprocess.run(
            ["node", "e2e/bench.mjs", str(args.rounds)],
            cwd=REPO_ROOT / "frontend",
            env={**os.environ, "PITWALL_URL": stack.url("gateway")},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    if result.returncode != 0:
        print(result.stdout + result.stderr, file=sys.stderr)
        return 1
    numbers = json.loads(result.stdout.strip().splitlines()[-1])
    verdict = "ok" if numbers["ratio"] <= TARGET_RATIO else "over target"
    print(
        f"compare page: API calls {numbers['api_ms']} ms, page ready {numbers['page_ms']} ms, "
        f"ratio {numbers['ratio']} (target <= {TARGET_RATIO}: {verdict}; "
        f"median of {numbers['rounds']})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
