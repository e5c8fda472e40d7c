"""Readers for every place a deployment fact is written down.

The source of truth is the code: the service table in ``docs/conventions.md`` (ports,
prefixes, import names) and each service's pydantic ``Settings`` class (the environment
variable names it reads). The Dockerfiles, ``docker-compose.yml`` and the rendered
Kubernetes manifests are read here so the tests can hold them to that truth.
"""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from pydantic import AliasChoices, SecretStr

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
ENV_EXAMPLE = REPO / ".env.example"
OVERLAYS = sorted(p for p in (REPO / "deploy" / "k8s" / "overlays").iterdir() if p.is_dir())


@dataclass(frozen=True)
class Service:
    folder: str
    dist: str
    module: str
    port: int
    prefix: str

    @property
    def short(self) -> str:
        return self.prefix.removesuffix("_").lower()


@cache
def services() -> tuple[Service, ...]:
    """The workspace table of docs/conventions.md, minus the shared package."""
    rows = []
    text = (REPO / "docs" / "conventions.md").read_text()
    pattern = re.compile(
        r"^\|\s*`([\w-]+)/`\s*\|\s*([\w-]+)\s*\|\s*`(\w+)`\s*\|\s*(\d+)\s*\|\s*`(\w+)`\s*\|",
        re.MULTILINE,
    )
    for folder, dist, module, port, prefix in pattern.findall(text):
        rows.append(Service(folder, dist, module, int(port), prefix))
    assert len(rows) == 5, f"expected five services in docs/conventions.md, found {rows}"
    return tuple(rows)


def workspace_members() -> list[str]:
    root = tomllib.loads((REPO / "pyproject.toml").read_text())
    return list(root["tool"]["uv"]["workspace"]["members"])


# --- settings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SettingsFacts:
    """What a service's Settings class reads, by environment variable name."""

    env_names: frozenset[str]
    secret_envs: frozenset[str]  # SecretStr fields and secret_fields(): never in plain config
    required_secret_envs: frozenset[str]  # secret_fields(): refused empty in prod
    loopback_url_envs: frozenset[str]  # defaults to 127.0.0.1: must be set in a deployment
    path_envs: frozenset[str]
    defaults: dict[str, Any] = field(hash=False)


def _field_env_names(prefix: str, name: str, info: Any) -> list[str]:
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        return [c.upper() for c in alias.choices if isinstance(c, str)]
    if isinstance(alias, str):
        return [alias.upper()]
    return [f"{prefix}{name}".upper()]


def settings_facts(service: Service) -> SettingsFacts | None:
    """None while the service's config module does not exist yet."""
    try:
        module = importlib.import_module(f"{service.module}.config")
    except ModuleNotFoundError as exc:
        if exc.name in (f"{service.module}.config", service.module):
            return None
        raise
    cls = module.Settings
    prefix = cls.model_config.get("env_prefix", "")
    # model_construct skips validation, so prod-only secret checks do not fire here.
    declared_secrets = set(cls.model_construct().secret_fields())
    env_names: set[str] = set()
    secrets: set[str] = set()
    required: set[str] = set()
    loopback: set[str] = set()
    paths: set[str] = set()
    defaults: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        names = _field_env_names(prefix, name, info)
        env_names.update(names)
        for env in names:
            defaults[env] = info.default
        annotation = str(info.annotation)
        if name in declared_secrets or "SecretStr" in annotation or info.default is SecretStr:
            secrets.update(names)
        if name in declared_secrets:
            required.update(names)
        if isinstance(info.default, str) and info.default.startswith("http://127.0.0.1"):
            loopback.update(names)
        if "Path" in annotation:
            paths.update(names)
    return SettingsFacts(
        frozenset(env_names),
        frozenset(secrets),
        frozenset(required),
        frozenset(loopback),
        frozenset(paths),
        defaults,
    )


# --- Dockerfiles --------------------------------------------------------------------------


# --- docker-compose -----------------------------------------------------------------------


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


INTERPOLATION = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} (error when unset or empty)."""

    def replace(match: re.Match[str]) -> str:
        name, operator, argument = match.group(1), match.group(2), match.group(3)
        value = env.get(name)
        if operator == ":?" and not value:
            raise KeyError(f"{name}: {argument}")
        if operator == ":-" and not value:
            return argument
        return value or ""

    return INTERPOLATION.sub(replace, text.replace("$$", "\0")).replace("\0", "$")


def compose_variables() -> set[str]:
    return {match[0] for match in INTERPOLATION.findall(COMPOSE_FILE.read_text())}


def compose_file(env: dict[str, str] | None = None) -> dict[str, Any]:
    """docker-compose.yml with YAML anchors merged and variables taken from ``env``."""
    raw = COMPOSE_FILE.read_text()
    loaded: dict[str, Any] = yaml.safe_load(interpolate(raw, env if env is not None else {}))
    return loaded


def raw_compose_environment(service: str) -> dict[str, str]:
    """A service's environment before interpolation, to see where each value comes from."""
    raw: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return {k: str(v) for k, v in raw["services"][service]["environment"].items()}


# --- Kubernetes ---------------------------------------------------------------------------


def kubectl_available() -> bool:
    return shutil.which("kubectl") is not None


@cache
def render_overlay(overlay: Path) -> tuple[dict[str, Any], ...]:
    result = subprocess.run(
        ["kubectl", "kustomize", str(overlay)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def by_kind(docs: tuple[dict[str, Any], ...], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def writable_at(path: PurePosixPath, mounts: dict[PurePosixPath, bool]) -> bool:
    """Whether ``path`` is writable given mount point -> writable; the deepest mount wins
    (a read-only volume inside a writable scratch mount stays read-only), and anything
    outside every mount is on the read-only root."""
    covering = [m for m in mounts if m == path or m in path.parents]
    return bool(covering) and mounts[max(covering, key=lambda m: len(m.parts))]
