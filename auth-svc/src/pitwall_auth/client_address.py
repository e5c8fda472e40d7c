"""The address a sign-in comes from, for the per-address throttle.

The gateway drops whatever X-Forwarded-For a client sent and sends exactly one address: the
client as it determined it (believing outer proxies only per GATEWAY_TRUSTED_PROXIES). So
auth-svc believes the last X-Forwarded-For entry only when the connection itself comes from
an address in AUTH_TRUSTED_PROXIES (the gateway's); anyone else is their own peer address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: Sequence[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _is_in(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        return any(ipaddress.ip_address(address) in network for network in networks)
    except ValueError:
        return False


def sign_in_address(
    peer: str | None, forwarded_for: list[str], trusted: tuple[Network, ...]
) -> str:
    peer = peer or "unknown"
    if not forwarded_for or not _is_in(peer, trusted):
        return peer
    nearest = forwarded_for[-1].split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(nearest))
    except ValueError:  # not an address: the sender is not the gateway we expect
        return peer
