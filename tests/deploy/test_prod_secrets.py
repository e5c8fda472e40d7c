"""Prod is the default of every image and what every Kubernetes overlay but dev sets, and in
prod each service refuses to start on a placeholder or weak secret."""

from __future__ import annotations

import importlib
import secrets

import pytest
from pydantic import ValidationError

from deploy.dockerfile import parse_dockerfile
from tests.deploy.k8s_view import Overlay
from tests.deploy.sources import (
    OVERLAYS,
    REPO,
    Service,
    kubectl_available,
    render_overlay,
    services,
)

WEAK = [
    "change-me",
    "change-me-report-client-secret",
    "dev-only-report-secret",
    "secret",
    "short-but-random-9Xq",
]


@pytest.fixture(params=services(), ids=lambda s: s.folder)
def service(request: pytest.FixtureRequest) -> Service:
    return request.param  # type: ignore[no-any-return]


def _settings_class(service: Service) -> type:
    return importlib.import_module(f"{service.module}.config").Settings  # type: ignore[no-any-return]


def _strong_values(cls: type) -> dict[str, str]:
    """A generated value for each secret the service requires (auth's list of clients too)."""
    values = {name: secrets.token_hex(24) for name in cls.model_construct().secret_fields()}
    if "service_clients" in values:
        values["service_clients"] = (
            f"report:{secrets.token_hex(24)},analysis:{secrets.token_hex(24)}"
        )
    return values


def test_images_default_to_prod(service: Service) -> None:
    _, stages = parse_dockerfile(REPO / service.folder / "Dockerfile")
    assert stages[-1].env()["PITWALL_ENV"] == "prod"


@pytest.mark.skipif(not kubectl_available(), reason="kubectl is not installed")
@pytest.mark.parametrize(
    "overlay_dir", [p for p in OVERLAYS if p.name != "dev"], ids=lambda p: p.name
)
def test_kubernetes_sets_prod_explicitly(overlay_dir, service: Service) -> None:
    overlay = Overlay(overlay_dir.name, render_overlay(overlay_dir))
    assert overlay.service_container(service).env["PITWALL_ENV"] == "prod"


def test_prod_starts_with_generated_secrets(service: Service) -> None:
    cls = _settings_class(service)
    settings = cls(environment="prod", **_strong_values(cls))
    assert settings.environment == "prod"


def _requires_secrets(service: Service) -> bool:
    return bool(_settings_class(service).model_construct().secret_fields())


@pytest.mark.parametrize("weak", WEAK)
@pytest.mark.parametrize(
    "holder", [s for s in services() if _requires_secrets(s)], ids=lambda s: s.folder
)
def test_prod_refuses_a_weak_required_secret(holder: Service, weak: str) -> None:
    cls = _settings_class(holder)
    for name in cls.model_construct().secret_fields():
        values = _strong_values(cls)
        values[name] = f"report:{weak},analysis:{weak}" if name == "service_clients" else weak
        with pytest.raises(ValidationError, match="PITWALL_ENV=prod"):
            cls(environment="prod", **values)
        # The same values are fine for development.
        assert cls(environment="dev", **values).environment == "dev"


def test_auth_refuses_one_weak_client_among_strong_ones() -> None:
    cls = _settings_class(next(s for s in services() if s.folder == "auth-svc"))
    strong = secrets.token_hex(24)
    with pytest.raises(ValidationError, match="AUTH_SERVICE_CLIENTS"):
        cls(environment="prod", service_clients=f"report:{strong},analysis:change-me")
    with pytest.raises(ValidationError, match="AUTH_SERVICE_CLIENTS is empty"):
        cls(environment="prod", service_clients="report-without-a-secret")


def test_analysis_client_secret_is_optional_but_checked_when_set() -> None:
    cls = _settings_class(next(s for s in services() if s.folder == "analysis-svc"))
    assert cls(environment="prod").service_client_secret is None
    with pytest.raises(ValidationError, match="ANALYSIS_SERVICE_CLIENT_SECRET"):
        cls(environment="prod", service_client_secret="dev-only-analysis-secret")
