"""Alembic environment for auth-svc (version table ``alembic_version_auth``)."""

from pitwall_auth.models import Base
from pitwall_shared.migrations import run_env

run_env(Base.metadata)
