"""``python -m pitwall_gateway`` serves the gateway."""

from __future__ import annotations

import sys

from pitwall_gateway.config import get_settings
from pitwall_gateway.one_write import OneWriteHttpToolsProtocol
from pitwall_shared.serve import serve


def main(argv: list[str]) -> int:
    if argv and argv[0] not in ("serve",):
        print("usage: python -m pitwall_gateway [serve]", file=sys.stderr)
        return 2
    settings = get_settings()
    serve(
        "pitwall_gateway.main:create_app",
        "gateway",
        settings,
        loop=settings.event_loop,
        http=OneWriteHttpToolsProtocol,
        # The client address comes from GATEWAY_TRUSTED_PROXIES rules, not uvicorn's defaults
        # (which would believe X-Forwarded-For from any loopback peer).
        proxy_headers=False,
        server_header=False,
        date_header=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
