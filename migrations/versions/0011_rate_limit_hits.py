"""rate limit hits for public pages that cost the server work

Uses of `/evidence/verify` (anyone may upload a pack of up to 60 MB) are counted per address
in the database, so the limit holds across instances.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 23:45:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'rate_limit_hits',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=40), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_limit_hits')),
    )
    op.create_index(
        'ix_rate_limit_hits_scope_key_at', 'rate_limit_hits', ['scope', 'key', 'created_at']
    )


def downgrade():
    op.drop_index('ix_rate_limit_hits_scope_key_at', table_name='rate_limit_hits')
    op.drop_table('rate_limit_hits')
