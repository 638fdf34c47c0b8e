"""the head office's time zone on the compliance summary

An organisation's due date passes at midnight at its head office (WIB, WITA or WIT); the
dashboard judges "overdue" per zone, so each summary row carries it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 22:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# Kemendagri province codes outside WIB (as in compliance/clock.py when this was written).
WITA = ('51', '52', '53', '63', '64', '65', '71', '72', '73', '74', '75', '76')
WIT = ('81', '82', '91', '92', '93', '94', '95', '96')


def upgrade():
    with op.batch_alter_table('compliance_summaries', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('zone', sa.String(length=4), server_default='WIB', nullable=False)
        )
    for zone, provinces in (('WITA', WITA), ('WIT', WIT)):
        codes = ", ".join(f"'{code}'" for code in provinces)
        op.execute(
            f"UPDATE compliance_summaries SET zone = '{zone}' WHERE organization_id IN "
            f"(SELECT id FROM organizations WHERE substr(head_office_regency_code, 1, 2) IN ({codes}))"
        )


def downgrade():
    with op.batch_alter_table('compliance_summaries', schema=None) as batch_op:
        batch_op.drop_column('zone')
