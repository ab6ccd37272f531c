"""keyset board indexes: leaderboard board indexes end in user_id (ties in keyset order)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 13:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("period_scores", schema=None) as batch_op:
        batch_op.drop_index("ix_period_scores_board")
        batch_op.create_index(
            "ix_period_scores_board",
            ["guild_id", "period_key", "archive_id", "points", "user_id"],
            unique=False,
        )
    with op.batch_alter_table("category_scores", schema=None) as batch_op:
        batch_op.drop_index("ix_category_scores_board")
        batch_op.create_index(
            "ix_category_scores_board",
            ["guild_id", "category", "period_key", "archive_id", "points", "user_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("category_scores", schema=None) as batch_op:
        batch_op.drop_index("ix_category_scores_board")
        batch_op.create_index(
            "ix_category_scores_board",
            ["guild_id", "category", "period_key", "archive_id", "points"],
            unique=False,
        )
    with op.batch_alter_table("period_scores", schema=None) as batch_op:
        batch_op.drop_index("ix_period_scores_board")
        batch_op.create_index(
            "ix_period_scores_board", ["guild_id", "period_key", "archive_id", "points"], unique=False
        )
