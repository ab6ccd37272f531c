"""web pages and fan profiles

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 12:44:17.387127
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fan_profiles",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "user_id"),
    )
    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("web_enabled", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("web_slug", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("web_title", sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint("uq_guild_settings_web_slug", ["web_slug"])
    with op.batch_alter_table("score_events", schema=None) as batch_op:
        batch_op.create_index("ix_score_events_session", ["session_id"], unique=False)
    with op.batch_alter_table("quiz_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_quiz_sessions_guild_started", ["guild_id", "started_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("quiz_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_quiz_sessions_guild_started")
    with op.batch_alter_table("score_events", schema=None) as batch_op:
        batch_op.drop_index("ix_score_events_session")
    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.drop_constraint("uq_guild_settings_web_slug", type_="unique")
        batch_op.drop_column("web_title")
        batch_op.drop_column("web_slug")
        batch_op.drop_column("web_enabled")
    op.drop_table("fan_profiles")
