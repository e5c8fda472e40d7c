"""uvicorn's httptools protocol, answering a small response in one socket write.

uvicorn writes the status line and headers as soon as the app sends ``http.response.start``,
then the body in a second write: two packets and two wake-ups of the client for every answer,
on loopback a send system call costs more than the gateway's own work on a request. Here
writes are held for the rest of the event-loop turn they were made in and go out together:
when the response completes, when more than ``FLUSH_ABOVE_BYTES`` are held (a streamed
download), and otherwise on the next turn (a stream's headers and chunks wait no longer than
that). Serve with ``http=OneWriteHttpToolsProtocol``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

FLUSH_ABOVE_BYTES = 64 * 1024


class HeldWrites:
    """A transport whose writes are joined per event-loop turn; everything else passes on."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []
        self._held_bytes = 0
        self._flush_due = False

    def write(self, data: bytes) -> None:
        if not data:
            return
        self._held.append(data)
        self._held_bytes += len(data)
        if self._held_bytes > FLUSH_ABOVE_BYTES:
            self.flush()
        elif not self._flush_due:
            self._flush_due = True
            self._loop.call_soon(self._flush_on_next_turn)

    def _flush_on_next_turn(self) -> None:
        self._flush_due = False
        self.flush()

    def flush(self) -> None:
        held = self._held
        if not held:
            return
        self._held = []
        self._held_bytes = 0
        if not self._transport.is_closing():
            self._transport.write(held[0] if len(held) == 1 else b"".join(held))

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class OneWriteHttpToolsProtocol(HttpToolsProtocol):
    transport: Any

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(HeldWrites(transport, self.loop))  # type: ignore[arg-type]

    def on_response_complete(self) -> None:
        self.transport.flush()
        super().on_response_complete()
