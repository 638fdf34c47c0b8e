"""working days: extra holidays and the reason for an early escalation

Deadlines of a nota pemeriksaan skip Indonesia's public holidays and cuti bersama (from the
`holidays` library); `extra_holidays` holds the days the government announces after that
list was published, recorded by an administrator. A nota II (or a referral) issued before
the previous deadline passed needs a stated reason, kept on the case's timeline.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('extra_holidays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_extra_holidays_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_extra_holidays')),
    sa.UniqueConstraint('day', name=op.f('uq_extra_holidays_day'))
    )
    with op.batch_alter_table('inspection_case_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('early_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('inspection_case_events', schema=None) as batch_op:
        batch_op.drop_column('early_reason')
    op.drop_table('extra_holidays')
