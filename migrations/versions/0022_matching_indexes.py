"""indexes for matching: candidates in reach and their requested skills, read from the index

`ix_candidates_matching` holds every plain column the matching prefilter filters and scores on
(on PostgreSQL the id, province and relocation flag ride along as INCLUDE columns), so the
prefilter reads a narrow index instead of the wide rows of encrypted text. The skill index gains
`candidate_id`, so counting a request's skills per candidate needs no table access either.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 17:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_candidates_matching', 'candidates',
        ['regency_code', 'status', 'availability', 'hours', 'education'],
        postgresql_include=['id', 'province_code', 'is_willing_to_relocate'],
    )
    op.drop_index('ix_candidate_skills_skill_code', table_name='candidate_skills')
    op.create_index(
        'ix_candidate_skills_skill_code_candidate_id', 'candidate_skills',
        ['skill_code', 'candidate_id'],
    )


def downgrade():
    op.drop_index('ix_candidate_skills_skill_code_candidate_id', table_name='candidate_skills')
    op.create_index('ix_candidate_skills_skill_code', 'candidate_skills', ['skill_code'])
    op.drop_index('ix_candidates_matching', table_name='candidates')
