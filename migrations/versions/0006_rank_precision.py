"""contests.rank_precision: the decimals ranks, ties, thresholds, cuts and cascade steps compare

Revision ID: 0006_rank_precision
Revises: 0005_ceremony_position
Create Date: 2026-11-30 06:25:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006_rank_precision'
down_revision = '0005_ceremony_position'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rank_precision', sa.String(length=8), server_default='2', nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_contests_rank_precision'), "rank_precision IN ('0', '1', '2', '3', '4', 'exact')")


def downgrade() -> None:
    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.drop_constraint('ck_contests_rank_precision', type_='check')
        batch_op.drop_column('rank_precision')
