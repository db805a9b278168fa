"""organizations.approval_required: an organization asks a second organizer's approval (결재) for all
its contests

Revision ID: 0007_organization_approval
Revises: 0006_rank_precision
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007_organization_approval'
down_revision = '0006_rank_precision'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approval_required', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('approval_required')
