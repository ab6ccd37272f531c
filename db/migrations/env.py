"""Alembic environment: runs on the connection handed over by `db.engine` (migrate, make_revision)."""

from alembic import context

from db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "Run migrations through `calcio-quiz migrate`, and create one with `calcio-quiz db revision -m ...`."
    )

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
