"""organizations own contests and organizer accounts; a per-user session epoch

Revision ID: 0004_organizations
Revises: 0003_certificate_reissue
Create Date: 2026-11-30

Adds ``organizations``; ``contests.organization_id`` (required); ``users.organization_id`` and
``users.org_role`` (required for organizers: manager, staff or observer); ``users.session_epoch``
(sign-out and password changes end every open session). A database that already holds contests or
organizer accounts gets one organization, ``default``, named after its contests' organizer, that owns
every contest; every organizer account becomes its manager. Nothing else changes.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004_organizations'
down_revision = '0003_certificate_reissue'
branch_labels = None
depends_on = None

DEFAULT_SLUG = "default"
DEFAULT_NAME = "기본 기관"


def _default_organization(bind) -> int | None:  # noqa: ANN001
    """Create the default organization when there is anything to put in it; return its id."""
    contests = bind.execute(sa.text("SELECT count(*) FROM contests")).scalar()
    organizers = bind.execute(sa.text("SELECT count(*) FROM users WHERE role = 'organizer'")).scalar()
    if not contests and not organizers:
        return None
    name = bind.execute(sa.text(
        "SELECT organizer FROM contests WHERE organizer <> '' GROUP BY organizer "
        "ORDER BY count(*) DESC, min(id) LIMIT 1"
    )).scalar() or DEFAULT_NAME
    bind.execute(sa.text("INSERT INTO organizations (slug, name, created_at) VALUES (:slug, :name, :at)"),
                 {"slug": DEFAULT_SLUG, "name": name[:120], "at": _now()})
    return bind.execute(sa.text("SELECT id FROM organizations WHERE slug = :slug"), {"slug": DEFAULT_SLUG}).scalar()


def _now():  # noqa: ANN202
    import datetime as dt

    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # The batch operations below copy and rename tables; with foreign keys enforced, dropping
        # the old copy would cascade into every table that references it.
        if bind.execute(sa.text("PRAGMA foreign_keys")).scalar():
            raise RuntimeError("run this migration with SQLite foreign keys off (judging db upgrade does)")
    op.create_table(
        'organizations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('length(slug) > 0', name=op.f('ck_organizations_slug_not_empty')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations')),
        sa.UniqueConstraint('slug', name=op.f('uq_organizations_slug')),
    )
    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organization_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('organization_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('org_role', sa.String(length=16), nullable=True))

    org_id = _default_organization(bind)
    if org_id is not None:
        bind.execute(sa.text("UPDATE contests SET organization_id = :org"), {"org": org_id})
        bind.execute(sa.text("UPDATE users SET organization_id = :org, org_role = 'manager' "
                             "WHERE role = 'organizer'"), {"org": org_id})

    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.alter_column('organization_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_contests_organization_id'), ['organization_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_contests_organization_id_organizations'), 'organizations',
                                    ['organization_id'], ['id'], ondelete='RESTRICT')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_organization_id'), ['organization_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_users_organization_id_organizations'), 'organizations',
                                    ['organization_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_check_constraint(op.f('ck_users_session_epoch_positive'), 'session_epoch >= 1')
        batch_op.create_check_constraint(
            op.f('ck_users_organizer_org'),
            "role <> 'organizer' OR (organization_id IS NOT NULL AND org_role IS NOT NULL)")
        batch_op.create_check_constraint(
            op.f('ck_users_org_role'), "org_role IS NULL OR org_role IN ('manager', 'staff', 'observer')")


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_org_role'), type_='check')
        batch_op.drop_constraint(op.f('ck_users_organizer_org'), type_='check')
        batch_op.drop_constraint(op.f('ck_users_session_epoch_positive'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_users_organization_id_organizations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_users_organization_id'))
        batch_op.drop_column('org_role')
        batch_op.drop_column('organization_id')
        batch_op.drop_column('session_epoch')
    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contests_organization_id_organizations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_contests_organization_id'))
        batch_op.drop_column('organization_id')
    op.drop_table('organizations')
