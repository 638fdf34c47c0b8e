"""a referral records when the company first opened it

`referrals.seen_at` is set once, when an HR manager of the company first opens the request page
showing the sent shortlist; `shared_at` stays the moment the ULD sent it. Existing referrals
keep `seen_at` empty: nobody knows whether the company looked.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 05:10:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seen_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_column('seen_at')
