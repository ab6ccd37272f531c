"""asked questions, sampling key, category totals

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 12:45:44.206427
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "category_scores",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("period_key", sa.String(length=12), nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("archive_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "category", "period_key", "user_id", "archive_id"),
    )
    with op.batch_alter_table("category_scores", schema=None) as batch_op:
        batch_op.create_index(
            "ix_category_scores_board",
            ["guild_id", "category", "period_key", "archive_id", "points"],
            unique=False,
        )
        batch_op.create_index(
            "ix_category_scores_member", ["guild_id", "user_id", "period_key", "archive_id"], unique=False
        )

    op.create_table(
        "asked_questions",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("question_id", sa.String(length=120), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("guild_id", "question_id"),
    )
    with op.batch_alter_table("daily_scores", schema=None) as batch_op:
        batch_op.create_index("ix_daily_scores_guild_user", ["guild_id", "user_id"], unique=False)

    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sample_key", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_index("ix_questions_sample", ["sample_key"], unique=False)
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.alter_column("sample_key", server_default=None)
    with op.batch_alter_table("question_clubs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sample_key", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_index("ix_question_clubs_sample", ["club", "sample_key"], unique=False)
    with op.batch_alter_table("question_clubs", schema=None) as batch_op:
        batch_op.alter_column("sample_key", server_default=None)
    _backfill()


def _backfill() -> None:
    """Give existing questions their random sampling key; fill category totals from the live rollup."""
    import datetime as dt
    import random

    from bot.leaderboard.periods import category_period_totals

    bind = op.get_bind()
    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM questions"))]
    if ids:
        bind.execute(
            sa.text("UPDATE questions SET sample_key = :key WHERE id = :id"),
            [{"id": qid, "key": random.randrange(2**31)} for qid in ids],
        )
    links = list(bind.execute(sa.text("SELECT question_id, club FROM question_clubs")))
    if links:
        bind.execute(
            sa.text("UPDATE question_clubs SET sample_key = :key WHERE question_id = :q AND club = :c"),
            [{"q": q, "c": c, "key": random.randrange(2**31)} for q, c in links],
        )
    found = bind.execute(
        sa.text(
            "SELECT guild_id, user_id, category, day, SUM(points), SUM(answers), SUM(correct) "
            "FROM daily_scores WHERE archive_id = 0 GROUP BY guild_id, user_id, category, day"
        )
    )
    rows = category_period_totals(
        (g, u, c, d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)), p, a, k)
        for g, u, c, d, p, a, k in found
    )
    if rows:
        columns = ("guild_id", "category", "period_key", "user_id", "archive_id")
        columns += ("points", "answers", "correct")
        op.bulk_insert(sa.table("category_scores", *(sa.column(c) for c in columns)), rows)


def downgrade() -> None:
    with op.batch_alter_table("question_clubs", schema=None) as batch_op:
        batch_op.drop_index("ix_question_clubs_sample")
        batch_op.drop_column("sample_key")

    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_sample")
        batch_op.drop_column("sample_key")

    with op.batch_alter_table("daily_scores", schema=None) as batch_op:
        batch_op.drop_index("ix_daily_scores_guild_user")

    op.drop_table("asked_questions")
    with op.batch_alter_table("category_scores", schema=None) as batch_op:
        batch_op.drop_index("ix_category_scores_member")
        batch_op.drop_index("ix_category_scores_board")

    op.drop_table("category_scores")
