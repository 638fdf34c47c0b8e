"""exports prepared in the background

`exports` keeps an evidence pack or the national summary workbook, encrypted, for the person
who asked for it, until it expires a day later.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 17:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

KINDS = ('evidence_pack', 'compliance_summary')
STATUSES = ('preparing', 'ready', 'failed')


def upgrade():
    op.create_table(
        'exports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum(*KINDS, name='export_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('status', sa.Enum(*STATUSES, name='export_status', native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('parameters', sa.JSON(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('mimetype', sa.String(length=100), nullable=False),
        sa.Column('content', sa.Text(), nullable=True),
        sa.Column('error', sa.String(length=500), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_exports_requested_by_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exports')),
    )
    with op.batch_alter_table('exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exports_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_exports_requested_by_id'), ['requested_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exports_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_exports_expires_at'))
    op.drop_table('exports')
