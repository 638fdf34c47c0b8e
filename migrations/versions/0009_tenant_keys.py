"""keys over (row, organisation) for employees and consent records

An employee's establishment and a consent record's employee must belong to the same
organisation; one composite key per table says so in the database and replaces the two
single-column keys each inserted row was checked against.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 03:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('establishments', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_establishments_id'), ['id', 'organization_id'])

    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_employees_id'), ['id', 'organization_id'])
        batch_op.drop_constraint('fk_employees_organization_id_organizations', type_='foreignkey')
        batch_op.drop_constraint('fk_employees_establishment_id_establishments', type_='foreignkey')
        batch_op.create_foreign_key(
            batch_op.f('fk_employees_establishment_id_establishments'),
            'establishments',
            ['establishment_id', 'organization_id'],
            ['id', 'organization_id'],
            ondelete='CASCADE',
        )

    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.drop_constraint('fk_consent_records_organization_id_organizations', type_='foreignkey')
        batch_op.drop_constraint('fk_consent_records_employee_id_employees', type_='foreignkey')
        batch_op.create_foreign_key(
            batch_op.f('fk_consent_records_employee_id_employees'),
            'employees',
            ['employee_id', 'organization_id'],
            ['id', 'organization_id'],
            ondelete='CASCADE',
        )


def downgrade():
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.drop_constraint('fk_consent_records_employee_id_employees', type_='foreignkey')
        batch_op.create_foreign_key(
            batch_op.f('fk_consent_records_employee_id_employees'),
            'employees', ['employee_id'], ['id'], ondelete='CASCADE',
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_consent_records_organization_id_organizations'),
            'organizations', ['organization_id'], ['id'], ondelete='CASCADE',
        )

    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.drop_constraint('fk_employees_establishment_id_establishments', type_='foreignkey')
        batch_op.create_foreign_key(
            batch_op.f('fk_employees_establishment_id_establishments'),
            'establishments', ['establishment_id'], ['id'],
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_employees_organization_id_organizations'),
            'organizations', ['organization_id'], ['id'], ondelete='CASCADE',
        )
        batch_op.drop_constraint(batch_op.f('uq_employees_id'), type_='unique')

    with op.batch_alter_table('establishments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_establishments_id'), type_='unique')
