"""staff accounts keep their NIP

An inspector signs a nota pemeriksaan with name and NIP (Nomor Induk Pegawai, 18 digits); the
administrator records it on the staff account. Existing accounts have none until it is entered,
and their letters carry no NIP line rather than an empty one.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 14:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nip', sa.String(length=18), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('nip')
