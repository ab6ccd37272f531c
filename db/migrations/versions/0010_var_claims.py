"""VAR: refused typed answers, contested-answer claims, server aliases, who upheld a score event

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 15:23:35.999353
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "server_aliases",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("question_id", sa.String(length=120), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("added_by", sa.BigInteger(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("guild_id", "question_id", "alias"),
    )
    op.create_table(
        "refused_answers",
        sa.Column("message_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("hints_shown", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["quiz_rounds.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("message_id"),
    )
    with op.batch_alter_table("refused_answers", schema=None) as batch_op:
        batch_op.create_index("ix_refused_answers_sent_at", ["sent_at"], unique=False)

    op.create_table(
        "var_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("raised_by", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("claim_message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("alias_added", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["quiz_rounds.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "user_id", name="uq_var_claims_round_user"),
    )
    with op.batch_alter_table("score_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decided_by", sa.BigInteger(), nullable=True))
        batch_op.create_index(
            "uq_score_events_var_award",
            ["round_id"],
            unique=True,
            sqlite_where=sa.text("decided_by IS NOT NULL"),
            postgresql_where=sa.text("decided_by IS NOT NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("score_events", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_score_events_var_award",
            sqlite_where=sa.text("decided_by IS NOT NULL"),
            postgresql_where=sa.text("decided_by IS NOT NULL"),
        )
        batch_op.drop_column("decided_by")

    op.drop_table("var_claims")
    with op.batch_alter_table("refused_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_refused_answers_sent_at")

    op.drop_table("refused_answers")
    op.drop_table("server_aliases")
