"""Print the gateway's merged OpenAPI document without starting any server.

Builds each service's app, takes its ``openapi()`` and merges them the way the gateway does,
so the web app's typed client can be generated offline. Run from the repository root's venv:
``.venv/bin/python frontend/scripts/openapi_dump.py > frontend/openapi.json``.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
from typing import Any

SERVICES = {
    "auth": "pitwall_auth",
    "telemetry": "pitwall_telemetry",
    "analysis": "pitwall_analysis",
    "report": "pitwall_report",
}


def service_document(module: str) -> dict[str, Any]:
    main = importlib.import_module(f"{module}.main")
    document: dict[str, Any] = main.create_app().openapi()
    return document


def main() -> int:
    # Building an app reads settings; keep any files it might touch out of the repository.
    os.environ.setdefault("PITWALL_ENV", "dev")
    os.environ.setdefault("PITWALL_DATA_DIR", tempfile.mkdtemp(prefix="pitwall-openapi-"))
    from pitwall_gateway.openapi import merge_documents

    documents = {name: service_document(module) for name, module in SERVICES.items()}
    merged = merge_documents(documents, "Pitwall API")
    json.dump(merged, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
