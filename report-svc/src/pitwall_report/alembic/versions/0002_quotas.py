"""Quotas and fair scheduling: a lock row per report owner, and an index for the per-owner
counts the claim query and the quota checks make.

Revision ID: 0002_quotas
Revises: 0001_report_jobs
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pitwall_report.models import UtcDateTime

revision: str = "0002_quotas"
down_revision: str | None = "0001_report_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_owners",
        sa.Column("owner_id", sa.String(64), primary_key=True),
        sa.Column("checked_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_report_jobs_owner_status", "report_jobs", ["owner_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_report_jobs_owner_status", table_name="report_jobs")
    op.drop_table("report_owners")
