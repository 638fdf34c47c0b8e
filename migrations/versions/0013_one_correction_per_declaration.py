"""a declaration is corrected at most once

Two HR managers correcting the same submitted declaration at the same moment both passed the
"is it the latest version?" check and could each open a correction of it. A declaration has
at most one direct correction (the next correction corrects that one), so the database says
so: the second correction fails on this key and is answered with a message.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 04:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f('uq_declarations_corrects_id'), ['corrects_id']
        )


def downgrade():
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_declarations_corrects_id'), type_='unique')
