"""documents of record: receipt numbers, inspectorate offices, nota letters

A submitted declaration's receipt gets a number, sequential per organisation and year
(the year at the head office when it was submitted): existing submissions are numbered in
the order they were submitted. Each province's inspectorate office (the letterhead of a nota
pemeriksaan) is kept by an administrator; each nota letter issued is stored with its bytes
and their SHA-256.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08 03:00:00

"""
from collections import defaultdict
from datetime import UTC

import sqlalchemy as sa
from alembic import op

from compliance.clock import local_date, zone_of_region


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def _number_existing_receipts():
    """Number the receipts of declarations submitted before this migration, in the order
    they were submitted: the numbering the application would have given them."""
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT d.id, d.organization_id, d.submitted_at, o.head_office_regency_code "
        "FROM declarations d JOIN organizations o ON o.id = d.organization_id "
        "WHERE d.status = 'submitted' AND d.submitted_at IS NOT NULL "
        "ORDER BY d.organization_id, d.submitted_at, d.id"
    ).columns(submitted_at=sa.DateTime())).all()
    counters = defaultdict(int)
    for declaration_id, organization_id, submitted_at, regency in rows:
        year = local_date(submitted_at.replace(tzinfo=UTC), zone_of_region(regency)).year
        counters[organization_id, year] += 1
        seq = counters[organization_id, year]
        connection.execute(
            sa.text(
                "UPDATE declarations SET receipt_year = :year, receipt_seq = :seq, "
                "receipt_number = :number WHERE id = :id"
            ),
            {
                "year": year,
                "seq": seq,
                "number": f"KI-{year}-{organization_id:06d}-{seq:04d}",
                "id": declaration_id,
            },
        )


def upgrade():
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receipt_number', sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column('receipt_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('receipt_seq', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_declarations_receipt_number'), ['receipt_number'])
        batch_op.create_unique_constraint(batch_op.f('uq_declarations_organization_id'), ['organization_id', 'receipt_year', 'receipt_seq'])
    _number_existing_receipts()

    op.create_table('inspectorate_offices',
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=200), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=120), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('letter_code', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_inspectorate_offices_province_code_provinces')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_inspectorate_offices_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('province_code', name=op.f('pk_inspectorate_offices'))
    )
    op.create_table('inspection_case_letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('nota_1', 'nota_2', name='letter_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('number', sa.String(length=80), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['inspection_cases.id'], name=op.f('fk_inspection_case_letters_case_id_inspection_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['inspection_case_events.id'], name=op.f('fk_inspection_case_letters_event_id_inspection_case_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_inspection_case_letters_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_inspection_case_letters_province_code_provinces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_case_letters')),
    sa.UniqueConstraint('event_id', name=op.f('uq_inspection_case_letters_event_id')),
    sa.UniqueConstraint('number', name=op.f('uq_inspection_case_letters_number')),
    sa.UniqueConstraint('province_code', 'year', 'seq', name=op.f('uq_inspection_case_letters_province_code'))
    )
    with op.batch_alter_table('inspection_case_letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_case_letters_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_case_letters_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_case_letters_sha256'), ['sha256'], unique=False)


def downgrade():
    with op.batch_alter_table('inspection_case_letters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_case_letters_sha256'))
        batch_op.drop_index(batch_op.f('ix_inspection_case_letters_organization_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_case_letters_case_id'))
    op.drop_table('inspection_case_letters')
    op.drop_table('inspectorate_offices')
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_declarations_organization_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_declarations_receipt_number'), type_='unique')
        batch_op.drop_column('receipt_seq')
        batch_op.drop_column('receipt_year')
        batch_op.drop_column('receipt_number')
