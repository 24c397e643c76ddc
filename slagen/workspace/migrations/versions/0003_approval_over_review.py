"""An approval given over blocking review items keeps how many there were and the reason.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Earlier decisions were taken without this record: nothing is known, so both stay empty.
    with op.batch_alter_table("approvals") as batch:
        batch.add_column(sa.Column("blocking_items", sa.Integer, nullable=True))
        batch.add_column(sa.Column("override_reason", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("approvals") as batch:
        batch.drop_column("override_reason")
        batch.drop_column("blocking_items")
