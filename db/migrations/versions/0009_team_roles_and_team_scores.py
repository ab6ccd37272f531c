"""teams (curva mode): roles marked as teams, the team of a score event, team totals per period

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 15:23:40.018003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "team_roles",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("role_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "role_id"),
    )
    op.create_table(
        "team_scores",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("period_key", sa.String(length=12), nullable=False),
        sa.Column("team_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("archive_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "period_key", "team_id", "archive_id"),
    )
    op.create_index(
        "ix_team_scores_board",
        "team_scores",
        ["guild_id", "period_key", "archive_id", "points", "team_id"],
        unique=False,
    )
    # Nullable: existing events belong to no team, and SQLite adds the column without a table copy.
    with op.batch_alter_table("score_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("score_events", schema=None) as batch_op:
        batch_op.drop_column("team_id")
    op.drop_index("ix_team_scores_board", table_name="team_scores")
    op.drop_table("team_scores")
    op.drop_table("team_roles")
