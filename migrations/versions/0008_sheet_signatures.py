"""sheet signatures: a judge's signature on a submitted sheet (drawn on the tablet, or on paper for
an imported sheet), with the SHA-256 of the sheet's content; reopening voids it

Revision ID: 0008_sheet_signatures
Revises: 0007_organization_approval
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008_sheet_signatures'
down_revision = '0007_organization_approval'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sheet_signatures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sheet_id', sa.Integer(), nullable=False),
        sa.Column('method', sa.String(length=16), nullable=False),
        sa.Column('strokes', sa.JSON(), nullable=True),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('signed_at', sa.DateTime(), nullable=False),
        sa.Column('voided_at', sa.DateTime(), nullable=True),
        sa.Column('void_reason', sa.Text(), nullable=False),
        sa.CheckConstraint("method IN ('tablet', 'paper')", name=op.f('ck_sheet_signatures_method')),
        sa.CheckConstraint("method <> 'tablet' OR strokes IS NOT NULL", name=op.f('ck_sheet_signatures_tablet_strokes')),
        sa.CheckConstraint('length(content_hash) = 64', name=op.f('ck_sheet_signatures_content_hash_length')),
        sa.ForeignKeyConstraint(['sheet_id'], ['sheets.id'], name=op.f('fk_sheet_signatures_sheet_id_sheets'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sheet_signatures')),
    )
    with op.batch_alter_table('sheet_signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sheet_signatures_sheet_id'), ['sheet_id'], unique=False)
        batch_op.create_index('ix_sheet_signatures_active', ['sheet_id'], unique=True,
                              sqlite_where=sa.text('voided_at IS NULL'),
                              postgresql_where=sa.text('voided_at IS NULL'))


def downgrade() -> None:
    with op.batch_alter_table('sheet_signatures', schema=None) as batch_op:
        batch_op.drop_index('ix_sheet_signatures_active')
        batch_op.drop_index(batch_op.f('ix_sheet_signatures_sheet_id'))
    op.drop_table('sheet_signatures')
