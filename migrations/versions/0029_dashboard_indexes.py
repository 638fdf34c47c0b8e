"""pages on national data: covering indexes for the ranking and the reach; search; kept counts

- `ix_compliance_summaries_rank` (province, gap, organisation id) carries the columns the
  filters and the headline read (PostgreSQL's INCLUDE), so a filtered page and its headline are
  index-only scans of the province's range instead of visits to 14,000 table pages for Jawa
  Barat. (Its key stays ascending: a descending key is an expression index, which Alembic
  cannot compare on SQLite; read backwards it costs a sort of the ties, under 6 ms.)
- The search box finds part of a name through trigrams (`pg_trgm`, a trusted extension the
  database owner may create) and a whole NIB or NPWP through plain indexes. On SQLite the name
  index is a plain one.
- `ix_establishments_regency_code` also holds the organisation: an inspector's reach
  ("organisations with an establishment in these regencies") is an index-only scan of the
  province's regencies instead of a scan of every establishment (the inspector's home page:
  its two case lists took 110 ms each for Jawa Barat).
- `compliance_counts`: summary rows per province and status of record (with the due date and
  zone the overdue rule reads), filled here from the rows, so the admin's national summary
  reads a few hundred rows instead of counting 600,000 twice.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-05 01:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

INCLUDED = [
    "sector",
    "headcount",
    "status",
    "review_outcome",
    "is_due_declared",
    "due_on",
    "zone",
    "required",
    "counted",
]
KEY = "province_code, status, is_due_declared, due_on, zone"


def _is_postgresql():
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    op.create_table(
        "compliance_counts",
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("is_due_declared", sa.Boolean(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("zone", sa.String(length=4), nullable=False),
        sa.Column("organizations", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "province_code",
            "status",
            "is_due_declared",
            "due_on",
            "zone",
            name=op.f("pk_compliance_counts"),
        ),
    )
    op.execute(
        f"INSERT INTO compliance_counts ({KEY}, organizations) "  # noqa: S608
        f"SELECT {KEY}, count(*) FROM compliance_summaries GROUP BY {KEY}"
    )
    op.drop_index("ix_compliance_summaries_rank", table_name="compliance_summaries")
    op.create_index(
        "ix_compliance_summaries_rank",
        "compliance_summaries",
        ["province_code", "gap", "organization_id"],
        postgresql_include=INCLUDED,
    )
    if _is_postgresql():
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_compliance_summaries_name",
        "compliance_summaries",
        ["name"],
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )
    op.create_index("ix_compliance_summaries_nib", "compliance_summaries", ["nib"])
    op.create_index("ix_compliance_summaries_npwp", "compliance_summaries", ["npwp"])
    op.drop_index("ix_establishments_regency_code", table_name="establishments")
    op.create_index(
        "ix_establishments_regency_code", "establishments", ["regency_code", "organization_id"]
    )


def downgrade():
    op.drop_index("ix_establishments_regency_code", table_name="establishments")
    op.create_index("ix_establishments_regency_code", "establishments", ["regency_code"])
    # The extension stays: dropping it could break anything else of the database that uses it.
    op.drop_index("ix_compliance_summaries_npwp", table_name="compliance_summaries")
    op.drop_index("ix_compliance_summaries_nib", table_name="compliance_summaries")
    op.drop_index("ix_compliance_summaries_name", table_name="compliance_summaries")
    op.drop_index("ix_compliance_summaries_rank", table_name="compliance_summaries")
    op.create_index(
        "ix_compliance_summaries_rank",
        "compliance_summaries",
        ["province_code", "gap", "organization_id"],
    )
    op.drop_table("compliance_counts")
