"""The least a Python proxy can do, as a reference arm for ``gateway_overhead.py``.

One pooled aiohttp session, no token check, no limits, no metrics, no header hygiene: the
gap between this and a direct call is the cost of the extra hop itself on this machine.

    python bench/gateway_minimal_proxy.py PORT UPSTREAM_URL [LOOP] [HTTP]

``LOOP`` is uvicorn's event-loop setting (``auto`` when left out, as before); ``HTTP`` its
HTTP protocol: ``auto`` (the default) or ``one-write``, the gateway's own
(``pitwall_gateway.one_write``: a small answer in one socket write). ``gateway_overhead.py``
passes the gateway's settings, so both serve on the same server and loop.
"""

from __future__ import annotations

import sys
from typing import Any

import aiohttp
import uvicorn

SESSION: dict[str, aiohttp.ClientSession] = {}


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                SESSION["s"] = aiohttp.ClientSession(auto_decompress=False)
                await send({"type": "lifespan.startup.complete"})
            else:
                await SESSION["s"].close()
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["path"] == "/healthz":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
        return
    target = UPSTREAM + scope["raw_path"].decode()
    if scope["query_string"]:
        target += "?" + scope["query_string"].decode()
    headers = [(k.decode(), v.decode()) for k, v in scope["headers"] if k != b"host"]
    async with SESSION["s"].get(target, headers=headers) as response:
        body = await response.read()
        content_type = response.headers.get("content-type", "application/json").encode()
    await send(
        {
            "type": "http.response.start",
            "status": response.status,
            "headers": [(b"content-type", content_type)],
        }
    )
    await send({"type": "http.response.body", "body": body})


if __name__ == "__main__":
    UPSTREAM = sys.argv[2].rstrip("/")
    LOOP = sys.argv[3] if len(sys.argv) > 3 else "auto"
    http: Any = "auto"
    if len(sys.argv) > 4 and sys.argv[4] == "one-write":
        from pitwall_gateway.one_write import OneWriteHttpToolsProtocol

        http = OneWriteHttpToolsProtocol
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_level="warning",
        access_log=False,
        loop=LOOP,  # type: ignore[arg-type]
        http=http,
    )
