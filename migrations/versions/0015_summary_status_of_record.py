"""the compliance summary holds the status of record of the ranked period

`status`, `required`, `counted` and `gap` now describe one reporting period (the last that has
come due) as `services.declarations.status` reads it, instead of the latest month; an open or
overdue period also says over how many of its months the result runs. Existing rows are
recomputed by `flask inspections rebuild-summary` (run after deploying).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 04:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('compliance_summaries', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('months_complete', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('compliance_summaries', schema=None) as batch_op:
        batch_op.drop_column('months_complete')
