"""question of the day: daily questions, answers and streaks

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 15:24:06.047572
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "daily_streaks",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.Column("best", sa.Integer(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("reached_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("guild_id", "user_id"),
    )
    with op.batch_alter_table("daily_streaks", schema=None) as batch_op:
        batch_op.create_index("ix_daily_streaks_board", ["guild_id", "current", "best"], unique=False)

    op.create_table(
        "daily_questions",
        sa.Column("post_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("question_id", sa.String(length=120), nullable=False),
        sa.Column("option_order", sa.JSON(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["daily_posts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("post_id"),
    )
    with op.batch_alter_table("daily_questions", schema=None) as batch_op:
        batch_op.create_index("ix_daily_questions_guild_day", ["guild_id", "local_date"], unique=False)

    op.create_table(
        "daily_answers",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("choice", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["daily_questions.post_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("post_id", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("daily_answers")
    with op.batch_alter_table("daily_questions", schema=None) as batch_op:
        batch_op.drop_index("ix_daily_questions_guild_day")

    op.drop_table("daily_questions")
    with op.batch_alter_table("daily_streaks", schema=None) as batch_op:
        batch_op.drop_index("ix_daily_streaks_board")

    op.drop_table("daily_streaks")
