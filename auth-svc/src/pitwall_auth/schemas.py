"""Request and response bodies of auth-svc that only its own clients see.

Shapes other services read (``UserPublic``, ``Preferences``, ``TokenPair``) live in
``pitwall_shared.contracts.user``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, field_validator

from pitwall_auth.passwords import MAX_LENGTH, PASSWORD_RULE
from pitwall_shared.contracts.user import DriverCode, StylePreset, UserPublic

DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
# Length is checked loosely here (a typo in a login must not reveal the rule) and by the
# policy on registration.
PasswordField = Annotated[str, Field(min_length=1, max_length=MAX_LENGTH)]
RefreshTokenField = Annotated[str, Field(min_length=1, max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _no_control_characters(value: str) -> str:
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError("must not contain control characters")
    return value


class RegisterRequest(_Strict):
    email: EmailStr
    password: Annotated[str, Field(max_length=MAX_LENGTH, description=PASSWORD_RULE)]
    display_name: DisplayName

    _display_name_printable = field_validator("display_name")(_no_control_characters)


class LoginRequest(_Strict):
    email: EmailStr
    password: PasswordField


class RefreshRequest(_Strict):
    refresh_token: RefreshTokenField


class LogoutRequest(_Strict):
    """A client without a refresh token may still call logout; there is nothing to revoke."""

    refresh_token: RefreshTokenField | None = None


class PreferencesUpdate(_Strict):
    """Only the fields sent are changed."""

    plot_style: StylePreset | None = None
    favourite_drivers: list[DriverCode] | None = Field(None, max_length=20)


class ProfileUpdate(_Strict):
    display_name: DisplayName | None = None
    preferences: PreferencesUpdate | None = None

    _display_name_printable = field_validator("display_name")(
        lambda v: v if v is None else _no_control_characters(v)
    )


class PasswordChange(_Strict):
    current_password: PasswordField
    new_password: Annotated[str, Field(max_length=MAX_LENGTH, description=PASSWORD_RULE)]


class DeleteAccountRequest(_Strict):
    password: PasswordField = Field(description="Your current password, to confirm")


class UserPage(BaseModel):
    items: list[UserPublic]
    total: int
    limit: int
    offset: int


class Jwks(BaseModel):
    keys: list[dict[str, Any]]
