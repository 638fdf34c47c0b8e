"""uploads and case attachments are kept in the database

`stored_files` holds an upload's bytes encrypted with the data keys, with their size and
SHA-256, so every instance reads what any instance received. `import_jobs.file_id` and
`inspection_case_attachments.file_id` point to it; `stored_path` and `stored_name` stay for
files written to the instance folder before this revision (read from there as before) and are
empty for every new one.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 14:10:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

PURPOSES = ('import', 'case_attachment')


def upgrade():
    op.create_table(
        'stored_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.Enum(*PURPOSES, name='file_purpose', native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_stored_files_organization_id_organizations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_files')),
    )
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_files_organization_id'), ['organization_id'], unique=False)

    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_import_jobs_file_id'), ['file_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_import_jobs_file_id_stored_files'), 'stored_files', ['file_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('inspection_case_attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_inspection_case_attachments_file_id'), ['file_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_inspection_case_attachments_file_id_stored_files'), 'stored_files', ['file_id'], ['id'])
        batch_op.alter_column('stored_name', existing_type=sa.String(length=80), nullable=True)


def downgrade():
    with op.batch_alter_table('inspection_case_attachments', schema=None) as batch_op:
        batch_op.alter_column('stored_name', existing_type=sa.String(length=80), nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_inspection_case_attachments_file_id_stored_files'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_inspection_case_attachments_file_id'))
        batch_op.drop_column('file_id')

    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_import_jobs_file_id_stored_files'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_import_jobs_file_id'))
        batch_op.drop_column('file_id')

    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_files_organization_id'))
    op.drop_table('stored_files')
