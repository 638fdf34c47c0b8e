"""audit trail: keyed hashes and signed checkpoints

Each audit event now names the AUDIT_KEYS key its hash is an HMAC under (`key_id`), and
`audit_checkpoints` holds the signed statements that anchor the chain's head.

Existing events cannot be re-hashed here: a migration has no business reading the key, and
re-chaining would destroy the very evidence the chain protects. They keep `key_id` NULL and
their plain SHA-256 hash, which `flask audit verify` accepts only before the first keyed
event. Run `flask audit checkpoint` after upgrading to anchor them at once.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 10:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_id', sa.String(length=16), nullable=True))

    op.create_table(
        'audit_checkpoints',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('event_count', sa.Integer(), nullable=False),
        sa.Column('head_event_id', sa.Integer(), nullable=False),
        sa.Column('head_hash', sa.String(length=64), nullable=False),
        sa.Column('key_id', sa.String(length=16), nullable=False),
        sa.Column('signature', sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_checkpoints')),
    )


def downgrade():
    # Keyed events would then verify as unkeyed and fail: downgrading gives up the keyed chain.
    op.drop_table('audit_checkpoints')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_column('key_id')
