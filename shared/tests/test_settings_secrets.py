"""With PITWALL_ENV=prod, placeholder, short and typed secrets stop a service from starting."""

from __future__ import annotations

import secrets

import pytest
from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic_settings import SettingsConfigDict

from pitwall_shared.settings import MIN_SECRET_LENGTH, ServiceSettings, weak_secret_reason

PLACEHOLDERS = [
    "",
    "change-me",
    "change-me-report-client-secret",  # the .env.example value
    "dev-only-report-secret",  # the dev overlay's value
    "secret",
    "dev-3f9a2c7e1b8d4f6a0c5e9b2d7a1f",
    "ThisIsMyPasswordForProduction2026",
    "placeholder-value-to-replace-later",
    "abcdefghijklmnopqrstuvw",  # one short of the minimum
    "ab" * 20,  # long but typed
]


class ExampleSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EXAMPLE_", extra="ignore")

    client_secret: SecretStr = SecretStr("")
    api_key: SecretStr | None = Field(None, validation_alias=AliasChoices("EXAMPLE_KEY"))

    def secret_fields(self) -> tuple[str, ...]:
        return ("client_secret",)

    def optional_secret_fields(self) -> tuple[str, ...]:
        return ("api_key",)


def _prod(**values: object) -> ExampleSettings:
    return ExampleSettings(environment="prod", **values)


@pytest.mark.parametrize("value", PLACEHOLDERS)
def test_placeholder_and_weak_secrets_are_refused_in_prod(value: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _prod(client_secret=value)
    message = str(refused.value)
    assert "EXAMPLE_CLIENT_SECRET" in message
    # The refusal names the variable, never the value (short ones are words of the text).
    assert len(value) < 8 or value not in message


@pytest.mark.parametrize("value", PLACEHOLDERS)
def test_the_same_values_are_accepted_outside_prod(value: str) -> None:
    for environment in ("dev", "test"):
        settings = ExampleSettings(environment=environment, client_secret=value)
        assert settings.client_secret.get_secret_value() == value


def test_generated_secrets_are_accepted_in_prod() -> None:
    for generated in (secrets.token_hex(24), secrets.token_urlsafe(MIN_SECRET_LENGTH)):
        settings = _prod(client_secret=generated)
        assert settings.client_secret.get_secret_value() == generated


def test_optional_secrets_may_be_unset_but_not_weak() -> None:
    strong = secrets.token_hex(24)
    assert _prod(client_secret=strong).api_key is None
    assert _prod(client_secret=strong, api_key="").api_key is not None
    with pytest.raises(ValidationError, match="EXAMPLE_KEY is a placeholder"):
        _prod(client_secret=strong, api_key="change-me")
    assert _prod(client_secret=strong, api_key=secrets.token_hex(24)).api_key is not None


@pytest.mark.parametrize(
    "value, reason",
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("CHANGE-ME-NOW-PLEASE-0123456789", "is a placeholder"),
        ("k3Xr9", f"is shorter than {MIN_SECRET_LENGTH} characters"),
        ("a1" * 16, "has fewer than 10 distinct characters"),
        (secrets.token_hex(24), None),
    ],
)
def test_weak_secret_reasons(value: str, reason: str | None) -> None:
    assert weak_secret_reason(value) == reason
