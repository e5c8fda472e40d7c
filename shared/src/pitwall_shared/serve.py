"""``python -m pitwall_<service>``: JSON logging from the first line, then uvicorn."""

from __future__ import annotations

from typing import Any

import uvicorn

from pitwall_shared.logs import configure_logging
from pitwall_shared.settings import ServiceSettings


def serve(factory: str, service: str, settings: ServiceSettings, **options: Any) -> None:
    """Serve ``factory`` (``module:create_app``) on the settings' host and port.

    Logging is set up before uvicorn starts and uvicorn is told not to set up its own
    (``log_config=None``), so its startup lines come out as JSON too; its access log stays
    off, the service writes its own access line.
    """
    configure_logging(service, settings.log_level, access_log=settings.access_log)
    uvicorn.run(
        factory,
        factory=True,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        log_config=None,
        access_log=False,
        **options,
    )
