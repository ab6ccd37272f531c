"""Database layer: models, engine and session factory, query functions, migrations."""
