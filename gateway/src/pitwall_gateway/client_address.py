"""The client's address, believing X-Forwarded-For only when a trusted proxy sent it."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.types import Scope

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: Sequence[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(scope: Scope, forwarded_for: bytes | None, trusted: tuple[Network, ...]) -> str:
    client = scope.get("client")
    peer = client[0] if client else "unknown"
    if not trusted or forwarded_for is None or not _trusted(peer, trusted):
        return peer
    # Walk from the nearest hop outwards; the first address we do not trust is the client.
    hops = [hop.strip() for hop in forwarded_for.decode("latin-1").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer
