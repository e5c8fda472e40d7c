"""Content-addressed results: a rendered PDF shared by identical requests, and the key each
job asked for.

Revision ID: 0003_results
Revises: 0002_quotas
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pitwall_report.models import UtcDateTime

revision: str = "0003_results"
down_revision: str | None = "0002_quotas"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_results",
        sa.Column("result_key", sa.String(64), primary_key=True),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("file_size", sa.Integer(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("used_at", UtcDateTime(), nullable=False),
    )
    op.add_column("report_jobs", sa.Column("result_key", sa.String(64), nullable=True))
    op.create_index("ix_report_jobs_file_name", "report_jobs", ["file_name"])


def downgrade() -> None:
    op.drop_index("ix_report_jobs_file_name", table_name="report_jobs")
    op.drop_column("report_jobs", "result_key")
    op.drop_table("report_results")
