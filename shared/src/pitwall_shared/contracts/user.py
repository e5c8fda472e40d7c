"""Accounts and preferences as seen over the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

StylePreset = Literal["light", "dark", "print", "team"]
Role = Literal["user", "admin"]


class Preferences(BaseModel):
    plot_style: StylePreset = "light"
    favourite_drivers: list[str] = Field(default_factory=list, max_length=20)


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
