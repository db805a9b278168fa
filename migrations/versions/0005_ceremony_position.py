"""The ceremony's reveal position lives on the server (a presenter on a second device follows it).

Revision ID: 0005_ceremony_position
Revises: 0004_organizations
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_ceremony_position"
down_revision = "0004_organizations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ceremony_positions",
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("slide", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("moved_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("slide >= 0", name=op.f("ck_ceremony_positions_slide_non_negative")),
        sa.CheckConstraint("seq >= 1", name=op.f("ck_ceremony_positions_seq_positive")),
        sa.ForeignKeyConstraint(["contest_id"], ["contests.id"],
                                name=op.f("fk_ceremony_positions_contest_id_contests"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("contest_id", name=op.f("pk_ceremony_positions")),
    )


def downgrade() -> None:
    op.drop_table("ceremony_positions")
