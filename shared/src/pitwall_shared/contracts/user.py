"""Accounts, preferences and tokens as auth-svc serves them to clients and services."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

StylePreset = Literal["light", "dark", "print", "team"]
Role = Literal["user", "admin"]
# Three-letter driver abbreviation as used in timing data (VER, HAM, LEC); upper-cased.
DriverCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^\s*[A-Za-z]{3}\s*$")
]


class Preferences(BaseModel):
    plot_style: StylePreset = "light"
    favourite_drivers: list[DriverCode] = Field(default_factory=list, max_length=20)


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    email: EmailStr
    display_name: str
    role: Role
    preferences: Preferences
    created_at: datetime


class TokenPair(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (a scheme name, not a secret)
    expires_in: int = Field(description="Seconds until the access token expires")
    refresh_token: str | None = None


class ServiceTokenRequest(BaseModel):
    """Body of auth-svc ``POST /internal/service-token``; the answer is a ``TokenPair``
    without refresh token whose access token has ``role="service"`` and
    ``sub="service:<client_id>"``."""

    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(min_length=1, max_length=64)
    client_secret: str = Field(min_length=1, max_length=256)
