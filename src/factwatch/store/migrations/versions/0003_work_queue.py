"""work queue: leases of the items ``factwatch worker`` processes are analysing

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
    op.create_table(
        "work_queue",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.String(length=200), nullable=False),
        sa.Column("lease_expires", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("item_id"),
    )
    with op.batch_alter_table("work_queue", schema=None) as batch_op:
        batch_op.create_index("ix_work_queue_expires", ["lease_expires"], unique=False)
        batch_op.create_index("ix_work_queue_owner", ["lease_owner"], unique=False)
    pending = sa.text("analysed_at IS NULL")
    op.create_index(
        "ix_items_pending", "items", ["id"], postgresql_where=pending, sqlite_where=pending
    )


def downgrade() -> None:
    op.drop_index("ix_items_pending", table_name="items")
    with op.batch_alter_table("work_queue", schema=None) as batch_op:
        batch_op.drop_index("ix_work_queue_owner")
        batch_op.drop_index("ix_work_queue_expires")
    op.drop_table("work_queue")
