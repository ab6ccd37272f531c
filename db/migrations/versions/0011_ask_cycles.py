"""ask cycles: a quiz filter's cycle walks its pool in sampling order and restarts in one row

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 16:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ask_cycles",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("pool", sa.String(length=200), nullable=False),
        sa.Column("since", sa.Integer(), nullable=False),
        sa.Column("start_key", sa.Integer(), nullable=False),
        sa.Column("cursor_key", sa.Integer(), nullable=False),
        sa.Column("wrapped", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "pool"),
    )
    with op.batch_alter_table("asked_questions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("generation", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("asked_questions", schema=None) as batch_op:
        batch_op.drop_column("generation")
    op.drop_table("ask_cycles")
