"""Fast JSON responses: build bytes with orjson instead of walking values with jsonable_encoder."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import JSONResponse

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def dumps(payload: Any) -> bytes:
    return orjson.dumps(payload, option=_OPTIONS)


class FastJSONResponse(JSONResponse):
    """Use as ``response_class`` or return directly for large numeric payloads.

    A ``JSONResponse`` subclass so FastAPI documents routes' ``response_model`` schemas in
    OpenAPI (it only does for JSONResponse classes); rendering is orjson's.
    """

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        if hasattr(content, "model_dump"):
            content = content.model_dump(mode="json")
        return dumps(content)
