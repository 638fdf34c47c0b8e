"""registry

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 23:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ulds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('regency_code', sa.String(length=5), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('address', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_ulds_province_code_provinces')),
    sa.ForeignKeyConstraint(['regency_code'], ['regencies.code'], name=op.f('fk_ulds_regency_code_regencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ulds')),
    sa.UniqueConstraint('province_code', 'regency_code', name=op.f('uq_ulds_province_code')),
    sa.UniqueConstraint('regency_code', name=op.f('uq_ulds_regency_code'))
    )
    with op.batch_alter_table('ulds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ulds_province_code'), ['province_code'], unique=False)
    op.create_table('candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('regency_code', sa.String(length=5), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('status', sa.Enum('draft', 'active', 'withdrawn', name='candidate_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('phone', sa.Text(), nullable=True),
    sa.Column('disability_categories', sa.Text(), nullable=True),
    sa.Column('accommodation_needs', sa.Text(), nullable=True),
    sa.Column('accommodation_note', sa.Text(), nullable=True),
    sa.Column('experience', sa.Text(), nullable=True),
    sa.Column('education', sa.Enum('none', 'primary', 'junior', 'senior', 'diploma', 'bachelor', 'postgraduate', name='education_level', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('hours', sa.Enum('full_time', 'part_time', 'either', name='hours', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('availability', sa.Enum('available', 'in_training', 'not_available', name='availability', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('available_from', sa.Date(), nullable=True),
    sa.Column('is_willing_to_relocate', sa.Boolean(), nullable=False),
    sa.Column('skills_other', sa.String(length=500), nullable=True),
    sa.Column('category_mask', sa.SmallInteger(), nullable=False),
    sa.Column('external_source', sa.String(length=100), nullable=True),
    sa.Column('external_id', sa.String(length=100), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('delete_after', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_candidates_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['regency_code'], ['regencies.code'], name=op.f('fk_candidates_regency_code_regencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidates')),
    sa.UniqueConstraint('external_source', 'external_id', name=op.f('uq_candidates_external_source'))
    )
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidates_delete_after'), ['delete_after'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidates_province_code'), ['province_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidates_regency_code'), ['regency_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidates_status'), ['status'], unique=False)
    op.create_table('uld_officers',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('uld_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['uld_id'], ['ulds.id'], name=op.f('fk_uld_officers_uld_id_ulds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_uld_officers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_uld_officers'))
    )
    with op.batch_alter_table('uld_officers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_uld_officers_uld_id'), ['uld_id'], unique=False)
    op.create_table('candidate_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('regency_code', sa.String(length=5), nullable=False),
    sa.Column('given_by', sa.Enum('candidate', 'guardian', name='candidate_consent_giver', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('guardian_name', sa.Text(), nullable=True),
    sa.Column('method', sa.Enum('written', 'electronic', 'recorded_oral', name='consent_method', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('given_at', sa.DateTime(), nullable=False),
    sa.Column('consent_text_version', sa.String(length=20), nullable=False),
    sa.Column('may_share_category', sa.Boolean(), nullable=False),
    sa.Column('may_share_accommodation', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_candidate_consents_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_candidate_consents_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_consents'))
    )
    with op.batch_alter_table('candidate_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_consents_candidate_id'), ['candidate_id'], unique=False)
    op.create_table('candidate_locations',
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('regency_code', sa.String(length=5), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_candidate_locations_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['regency_code'], ['regencies.code'], name=op.f('fk_candidate_locations_regency_code_regencies')),
    sa.PrimaryKeyConstraint('candidate_id', 'regency_code', name=op.f('pk_candidate_locations'))
    )
    with op.batch_alter_table('candidate_locations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_locations_regency_code'), ['regency_code'], unique=False)
    op.create_table('candidate_skills',
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('skill_code', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_candidate_skills_candidate_id_candidates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('candidate_id', 'skill_code', name=op.f('pk_candidate_skills'))
    )
    with op.batch_alter_table('candidate_skills', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_skills_skill_code'), ['skill_code'], unique=False)
    op.create_table('candidate_trainings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('skill_code', sa.String(length=40), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('has_certificate', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_candidate_trainings_candidate_id_candidates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_trainings'))
    )
    with op.batch_alter_table('candidate_trainings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_trainings_candidate_id'), ['candidate_id'], unique=False)
    op.create_table('referral_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=True),
    sa.Column('uld_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('tasks', sa.Text(), nullable=False),
    sa.Column('requirements', sa.Text(), nullable=True),
    sa.Column('hours', sa.Enum('full_time', 'part_time', 'either', name='hours', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('min_education', sa.Enum('none', 'primary', 'junior', 'senior', 'diploma', 'bachelor', 'postgraduate', name='education_level', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('skill_codes', sa.JSON(), nullable=False),
    sa.Column('accommodations_offered', sa.JSON(), nullable=False),
    sa.Column('positions', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', name='request_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('shortlisted_at', sa.DateTime(), nullable=True),
    sa.Column('flagged_unanswered_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_referral_requests_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['declaration_id'], ['declarations.id'], name=op.f('fk_referral_requests_declaration_id_declarations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishments.id'], name=op.f('fk_referral_requests_establishment_id_establishments')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_referral_requests_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uld_id'], ['ulds.id'], name=op.f('fk_referral_requests_uld_id_ulds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_requests'))
    )
    with op.batch_alter_table('referral_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_requests_establishment_id'), ['establishment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_requests_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_requests_uld_id'), ['uld_id'], unique=False)
    op.create_table('referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('uld_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('proposed', 'introduced', 'interviewed', 'hired', 'not_hired', 'withdrawn', name='referral_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('outcome_categories', sa.Text(), nullable=True),
    sa.Column('proposed_at', sa.DateTime(), nullable=False),
    sa.Column('shared_at', sa.DateTime(), nullable=True),
    sa.Column('introduced_at', sa.DateTime(), nullable=True),
    sa.Column('introduction_method', sa.Enum('written', 'electronic', 'recorded_oral', name='consent_method', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('interviewed_at', sa.DateTime(), nullable=True),
    sa.Column('outcome_at', sa.DateTime(), nullable=True),
    sa.Column('not_hired_reason', sa.Enum('skills', 'experience', 'accommodation', 'accessibility', 'transport', 'pay_or_hours', 'candidate_declined', 'position_filled', 'other', name='not_hired_reason', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=True),
    sa.Column('employee_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_referrals_candidate_id_candidates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_referrals_employee_id_employees'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_referrals_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['referral_requests.id'], name=op.f('fk_referrals_request_id_referral_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uld_id'], ['ulds.id'], name=op.f('fk_referrals_uld_id_ulds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals')),
    sa.UniqueConstraint('request_id', 'candidate_id', name=op.f('uq_referrals_request_id'))
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referrals_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_uld_id'), ['uld_id'], unique=False)


def downgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referrals_uld_id'))
        batch_op.drop_index(batch_op.f('ix_referrals_request_id'))
        batch_op.drop_index(batch_op.f('ix_referrals_organization_id'))
        batch_op.drop_index(batch_op.f('ix_referrals_candidate_id'))
    op.drop_table('referrals')
    with op.batch_alter_table('referral_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_requests_uld_id'))
        batch_op.drop_index(batch_op.f('ix_referral_requests_organization_id'))
        batch_op.drop_index(batch_op.f('ix_referral_requests_establishment_id'))
    op.drop_table('referral_requests')
    with op.batch_alter_table('candidate_trainings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_trainings_candidate_id'))
    op.drop_table('candidate_trainings')
    with op.batch_alter_table('candidate_skills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_skills_skill_code'))
    op.drop_table('candidate_skills')
    with op.batch_alter_table('candidate_locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_locations_regency_code'))
    op.drop_table('candidate_locations')
    with op.batch_alter_table('candidate_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_consents_candidate_id'))
    op.drop_table('candidate_consents')
    with op.batch_alter_table('uld_officers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_uld_officers_uld_id'))
    op.drop_table('uld_officers')
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidates_status'))
        batch_op.drop_index(batch_op.f('ix_candidates_regency_code'))
        batch_op.drop_index(batch_op.f('ix_candidates_province_code'))
        batch_op.drop_index(batch_op.f('ix_candidates_delete_after'))
    op.drop_table('candidates')
    with op.batch_alter_table('ulds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ulds_province_code'))
    op.drop_table('ulds')
