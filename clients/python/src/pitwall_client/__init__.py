"""Pitwall's Python client: FastF1-shaped DataFrames from the Pitwall API.

>>> from pitwall_client import Pitwall
>>> pw = Pitwall("http://127.0.0.1:8000", email="me@example.com", password="...")
>>> laps = pw.laps(2024, "Hungary", "Q", driver="NOR")   # LapTime is timedelta64
"""

from pitwall_client.analysis import Analysis
from pitwall_client.ask import Answer
from pitwall_client.client import AsyncPitwall, Pitwall
from pitwall_client.errors import (
    ApiError,
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    PitwallError,
    RateLimited,
    ServerError,
    TransportError,
    Unauthorized,
    Unavailable,
    ValidationFailed,
)
from pitwall_client.flows import Credentials, RetryPolicy
from pitwall_client.reports import ReportFailed, ReportTimedOut

__all__ = [
    "Analysis", "Answer", "ApiError", "AsyncPitwall", "BadRequest", "Conflict", "Credentials",
    "Forbidden", "NotFound", "Pitwall", "PitwallError", "RateLimited", "ReportFailed",
    "ReportTimedOut", "RetryPolicy", "ServerError", "TransportError", "Unauthorized", "Unavailable",
    "ValidationFailed",
]
