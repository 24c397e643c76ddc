"""What a team needs: each person's time zone, and the signature of a contract with its signed copy.

Revision ID: 0004
Revises: 0003

"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        # None: the zone the person's browser reports (UTC, labelled so, without JavaScript)
        batch.add_column(sa.Column("timezone", sa.String(64), nullable=True))
    with op.batch_alter_table("contracts") as batch:
        batch.add_column(sa.Column("signed_on", sa.String(10), nullable=True))  # ISO date, as the parties dated it
    op.create_table(
        "signed_copies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("contract_id", sa.Integer, sa.ForeignKey("contracts.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("signed_on", sa.String(10), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("recorded_at", WHEN, nullable=False),
    )
    op.create_index("ix_signed_copies_contract_id", "signed_copies", ["contract_id"])


def downgrade() -> None:
    op.drop_index("ix_signed_copies_contract_id", "signed_copies")
    op.drop_table("signed_copies")
    with op.batch_alter_table("contracts") as batch:
        batch.drop_column("signed_on")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("timezone")
