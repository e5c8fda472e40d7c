"""Ask conversations and their answers

Revision ID: 0002_conversations
Revises: 0001_insight_cache
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

from pitwall_shared.orm_types import UtcDateTime

revision = "0002_conversations"
down_revision = "0001_insight_cache"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analysis_conversations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_analysis_conversations_user_updated", "analysis_conversations",
                    ["user_id", "updated_at"])
    op.create_table(
        "analysis_conversation_answers",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("conversation_id", sa.String(36),
                  sa.ForeignKey("analysis_conversations.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answerer", sa.String(16), nullable=False),
        sa.Column("answerer_reason", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("dropped_claims", sa.JSON(), nullable=False),
        sa.Column("tool_calls", sa.JSON(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_analysis_conversation_answers_conv_created",
                    "analysis_conversation_answers", ["conversation_id", "created_at"])


def downgrade() -> None:
    op.drop_table("analysis_conversation_answers")
    op.drop_table("analysis_conversations")
