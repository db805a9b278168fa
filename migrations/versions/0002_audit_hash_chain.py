"""audit events form a hash chain; one chain head row

Revision ID: 0002_audit_chain
Revises: 0001
Create Date: 2026-11-30

Adds ``seq``, ``prev_hash`` and ``hash`` to every audit event and the ``audit_chain_head`` row,
and seals the events already recorded into the chain in the order they were written (by id).
The append-only triggers are lifted for the backfill only and put back at the end.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002_audit_chain'
down_revision = '0001'
branch_labels = None
depends_on = None

_events = sa.table(
    'audit_events',
    sa.column('id', sa.Integer()), sa.column('at', sa.DateTime()), sa.column('actor_id', sa.Integer()),
    sa.column('actor_label', sa.String()), sa.column('contest_id', sa.Integer()), sa.column('action', sa.String()),
    sa.column('target_type', sa.String()), sa.column('target_id', sa.String()), sa.column('before', sa.JSON()),
    sa.column('after', sa.JSON()), sa.column('address', sa.String()), sa.column('seq', sa.BigInteger()),
    sa.column('prev_hash', sa.String()), sa.column('hash', sa.String()),
)


def _drop_append_only(dialect: str) -> None:
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")


def _create_append_only(dialect: str) -> None:
    # The PostgreSQL function audit_events_append_only() from 0001 stays in place.
    if dialect == "postgresql":
        op.execute(
            "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )
    elif dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
            )


def upgrade() -> None:
    from judging.services.audit_chain import GENESIS, event_hash

    bind = op.get_bind()
    dialect = bind.dialect.name
    op.create_table(
        'audit_chain_head',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('seq', sa.BigInteger(), nullable=False),
        sa.Column('last_hash', sa.String(length=64), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_audit_chain_head_single_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head')),
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))

    _drop_append_only(dialect)
    previous, seq = GENESIS, 0
    rows = bind.execute(sa.select(_events).order_by(_events.c.id)).mappings().all()
    for row in rows:
        seq += 1
        fields = dict(row)
        fields.update(seq=seq, prev_hash=previous)
        value = event_hash(fields)
        bind.execute(_events.update().where(_events.c.id == row["id"])
                     .values(seq=seq, prev_hash=previous, hash=value))
        previous = value
    bind.execute(sa.text("INSERT INTO audit_chain_head (id, seq, last_hash) VALUES (1, :seq, :hash)"),
                 {"seq": seq, "hash": previous})

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.BigInteger(), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_events_seq'), ['seq'])
    # SQLite rebuilt the table for the constraint (its triggers went with the old one).
    _drop_append_only(dialect)
    _create_append_only(dialect)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _drop_append_only(dialect)
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_events_seq'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
    op.drop_table('audit_chain_head')
    _drop_append_only(dialect)
    _create_append_only(dialect)
