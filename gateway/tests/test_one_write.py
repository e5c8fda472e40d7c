"""The gateway's HTTP protocol: a small answer in one socket write, streams not held back."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from pitwall_gateway.one_write import FLUSH_ABOVE_BYTES, HeldWrites


class CountedTransport:
    """A real socket transport, with the writes that reach it counted."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        self.writes: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.writes.append(data)
        self.transport.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)


async def _pair() -> tuple[CountedTransport, socket.socket]:
    ours, theirs = socket.socketpair()
    transport, _ = await asyncio.get_running_loop().connect_accepted_socket(
        asyncio.Protocol, ours
    )
    theirs.setblocking(False)
    return CountedTransport(transport), theirs


async def _read(peer: socket.socket, size: int) -> bytes:
    loop = asyncio.get_running_loop()
    data = b""
    while len(data) < size:
        data += await asyncio.wait_for(loop.sock_recv(peer, size - len(data)), timeout=5)
    return data


async def test_the_writes_of_one_turn_reach_the_socket_as_one():
    counted, peer = await _pair()
    held = HeldWrites(counted, asyncio.get_running_loop())  # type: ignore[arg-type]
    held.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
    held.write(b"ok")
    assert counted.writes == []
    held.flush()  # as the protocol does when the response completes
    assert counted.writes == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"]
    assert await _read(peer, 40) == counted.writes[0]
    held.close()
    peer.close()


async def test_held_writes_go_out_on_the_next_turn_without_a_flush():
    counted, peer = await _pair()
    held = HeldWrites(counted, asyncio.get_running_loop())  # type: ignore[arg-type]
    held.write(b"event: one\n\n")  # a stream's first chunk: nothing completes the response
    await asyncio.sleep(0)
    assert counted.writes == [b"event: one\n\n"]
    assert await _read(peer, 12) == b"event: one\n\n"
    held.close()
    peer.close()


async def test_a_large_body_is_written_at_once_and_close_sends_what_is_held():
    counted, peer = await _pair()
    held = HeldWrites(counted, asyncio.get_running_loop())  # type: ignore[arg-type]
    chunk = b"x" * (FLUSH_ABOVE_BYTES + 1)
    held.write(chunk)
    assert counted.writes == [chunk]
    held.write(b"tail")
    held.close()
    assert counted.writes == [chunk, b"tail"]
    assert await _read(peer, len(chunk) + 4) == chunk + b"tail"
    peer.close()
