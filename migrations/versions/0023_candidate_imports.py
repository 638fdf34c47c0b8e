"""a registry officer's candidate file, checked and written by a task

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 17:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

STATUSES = ('checking', 'imported', 'refused')


def upgrade():
    op.create_table(
        'candidate_imports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum(*STATUSES, name='candidate_import_status', native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('content', sa.Text(), nullable=True),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('created', sa.Integer(), nullable=False),
        sa.Column('error_count', sa.Integer(), nullable=False),
        sa.Column('errors', sa.JSON(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_candidate_imports_requested_by_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_imports')),
    )
    with op.batch_alter_table('candidate_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_imports_requested_by_id'), ['requested_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('candidate_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_imports_requested_by_id'))
    op.drop_table('candidate_imports')
