"""``/mcp`` passes the same edge as the proxied API: token, revocation, and the per-user
limit (each MCP message is one request). The MCP handshake itself is answered by the gateway,
so the stand-in upstreams are not involved; the tools are exercised against the real stack in
tests/e2e/test_mcp.py."""

from __future__ import annotations

import uuid

INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "protocolVersion": "2025-06-18", "capabilities": {},
    "clientInfo": {"name": "gateway-test", "version": "1"}}}
ACCEPT = {"Accept": "application/json, text/event-stream"}


async def test_mcp_needs_a_valid_token(gateway, signer, expect_problem):
    expect_problem(await gateway.post("/mcp", json=INITIALIZE, headers=ACCEPT), 401)
    expired = signer.token(sub="user-1", ttl=-60)
    expect_problem(await gateway.post("/mcp", json=INITIALIZE, headers={
        **ACCEPT, "Authorization": f"Bearer {expired}"}), 401)


async def test_mcp_counts_against_the_per_user_limit(make_gateway, signer, expect_problem):
    alice = {**ACCEPT, "Authorization": f"Bearer {signer.token(sub=f'a-{uuid.uuid4().hex}')}"}
    async with make_gateway(rate_limit_per_user="2/minute") as client:
        for _ in range(2):
            response = await client.post("/mcp", json=INITIALIZE, headers=alice)
            assert response.status_code == 200, response.text
            assert response.json()["result"]["serverInfo"]["name"] == "pitwall"
        # The same budget the API spends from: the next API call is refused too.
        expect_problem(await client.post("/mcp", json=INITIALIZE, headers=alice), 429)
        expect_problem(await client.get("/api/v1/reports", headers=alice), 429)
