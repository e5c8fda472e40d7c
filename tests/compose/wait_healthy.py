"""``python -m tests.compose.wait_healthy``: wait until the compose stack of this run is healthy."""

from __future__ import annotations

import sys

from tests.compose.stack import ComposeStack


def main() -> int:
    stack = ComposeStack.from_environment()
    if stack is None:
        print("COMPOSE_PROJECT_NAME and PITWALL_COMPOSE_ENV_FILE are not set", file=sys.stderr)
        return 2
    stack.wait_healthy()
    return 0


if __name__ == "__main__":
    sys.exit(main())
