"""Alembic's entry point. slagen.workspace.database runs it with an open connection."""

from alembic import context

from slagen.workspace.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
