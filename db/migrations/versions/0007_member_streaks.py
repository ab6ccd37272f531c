"""member streaks: a member's live streaks and fastest right answer, kept with each event

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 14:02:05.487964
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "member_streaks",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.Column("best", sa.Integer(), nullable=False),
        sa.Column("fastest_ms", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("guild_id", "user_id"),
    )
    _backfill()


def _backfill() -> None:
    """Fold every member's live events, oldest first (the order /stats used to read them in)."""
    import itertools

    from bot.leaderboard.periods import fold_streaks

    found = op.get_bind().execute(
        sa.text(
            "SELECT guild_id, user_id, correct, response_ms FROM score_events WHERE archive_id = 0 "
            "ORDER BY guild_id, user_id, answered_at, id"
        )
    )
    rows = []
    for (guild_id, user_id), events in itertools.groupby(found, key=lambda r: (r[0], r[1])):
        current, best, fastest = fold_streaks((0, 0, None), ((bool(ok), ms) for _, _, ok, ms in events))
        rows.append({"guild_id": guild_id, "user_id": user_id, "current": current, "best": best})
        rows[-1]["fastest_ms"] = fastest
    if rows:
        columns = ("guild_id", "user_id", "current", "best", "fastest_ms")
        op.bulk_insert(sa.table("member_streaks", *(sa.column(c) for c in columns)), rows)


def downgrade() -> None:
    op.drop_table("member_streaks")
