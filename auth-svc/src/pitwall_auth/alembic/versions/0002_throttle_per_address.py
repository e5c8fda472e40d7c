"""Login throttle per (email, address) with growing lockouts and known addresses.

Revision ID: 0002_throttle_per_address
Revises: 0001_initial
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pitwall_auth.models import UtcDateTime

revision: str = "0002_throttle_per_address"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite cannot rename or add constrained columns in place.
    with op.batch_alter_table("login_throttle") as batch:
        batch.alter_column(
            "email_key",
            new_column_name="throttle_key",
            existing_type=sa.String(64),
            existing_nullable=False,
        )
        batch.add_column(sa.Column("strikes", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("known_until", UtcDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("login_throttle") as batch:
        batch.drop_column("known_until")
        batch.drop_column("strikes")
        batch.alter_column(
            "throttle_key",
            new_column_name="email_key",
            existing_type=sa.String(64),
            existing_nullable=False,
        )
