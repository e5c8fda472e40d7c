"""The client's address, believing X-Forwarded-For only when a trusted proxy sent it, and the
key its rate limits are counted under."""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Sequence

from starlette.types import Scope

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# One IPv6 subscriber usually holds a whole /64 and may send from any of its 2^64 addresses.
IPV6_CLIENT_PREFIX = 64


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


# Parsing an address costs microseconds on every request; a client's next request hits this.
@functools.lru_cache(maxsize=8192)
def rate_limit_key(address: str) -> str:
    """IPv6 clients are counted per /64, IPv4 (also IPv4-mapped IPv6) per address."""
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        # Only a trusted proxy can hand us a non-address; count it as the text it sent.
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, IPV6_CLIENT_PREFIX), strict=False))
    return str(ip)
