"""Certificates can be reissued: a revoked certificate points at the one that replaced it, and only
one valid certificate per award is unique (a revoked one no longer blocks a new number).

Revision ID: 0003_certificate_reissue
Revises: 5ea2a4ed197c
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_certificate_reissue"
down_revision = "5ea2a4ed197c"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replaced_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_certificates_replaced_by_id_certificates"), "certificates",
                                    ["replaced_by_id"], ["id"], ondelete="SET NULL")
        batch_op.drop_constraint("uq_certificates_contest_id_entry_id_award_key", type_="unique")
    op.create_index("uq_certificates_valid_award", "certificates", ["contest_id", "entry_id", "award_key"],
                    unique=True, sqlite_where=sa.text("revoked_at IS NULL"),
                    postgresql_where=sa.text("revoked_at IS NULL"))


def downgrade() -> None:
    op.drop_index("uq_certificates_valid_award", table_name="certificates")
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_certificates_contest_id_entry_id_award_key",
                                          ["contest_id", "entry_id", "award_key"])
        batch_op.drop_constraint(op.f("fk_certificates_replaced_by_id_certificates"), type_="foreignkey")
        batch_op.drop_column("replaced_by_id")
