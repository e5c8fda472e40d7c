"""Alembic environment for report-svc (version table ``alembic_version_report``)."""

from pitwall_report.models import Base
from pitwall_shared.migrations import run_env

run_env(Base.metadata)
