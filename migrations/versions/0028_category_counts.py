"""counts by disability category per regency, encrypted: category_counts

Rows per kind and regency, a regency's count their sum: active candidates by (category, availability), and current
consenting employees by (category, sector), as an encrypted JSON list, so the registry
statistics sum a few hundred rows instead of decrypting every person's categories
(`compliance.models.counts` says why encrypted counts). Upgrading fills the table once from the
rows, decrypted and encrypted again with the configured data keys, so the statistics are right
from the first page after it.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-04 22:20:00

"""

import json
from collections import Counter, defaultdict

import sqlalchemy as sa
from alembic import op

from compliance.models.types import key_ring

# revision identifiers, used by Alembic.
revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

_CANDIDATES = sa.text(
    "SELECT regency_code, availability, disability_categories FROM candidates "
    "WHERE status = 'active' AND disability_categories IS NOT NULL"
)
_EMPLOYED = sa.text(
    "SELECT s.regency_code, o.sector, e.disability_categories FROM employees e "
    "JOIN establishments s ON s.id = e.establishment_id "
    "JOIN organizations o ON o.id = e.organization_id "
    "WHERE e.end_date IS NULL AND e.disability_categories IS NOT NULL AND EXISTS "
    "(SELECT 1 FROM consent_records c WHERE c.employee_id = e.id AND c.withdrawn_at IS NULL)"
)


def _rows(kind, query):
    """One row per regency: its counts by (category, group), encrypted as the model does."""
    counts = defaultdict(Counter)
    result = op.get_bind().execute(query)
    while batch := result.fetchmany(5000):
        for regency, group, token in batch:
            for category in json.loads(key_ring().decrypt(token)):
                counts[regency][(str(category), str(group))] += 1
    return [
        {
            "kind": kind,
            "regency_code": regency,
            "counts": key_ring().encrypt(
                json.dumps(
                    sorted([c, g, n] for (c, g), n in cells.items()), separators=(",", ":")
                ).encode()
            ),
        }
        for regency, cells in sorted(counts.items())
    ]


def upgrade():
    table = op.create_table(
        "category_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("regency_code", sa.String(length=5), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["regency_code"],
            ["regencies.code"],
            name=op.f("fk_category_counts_regency_code_regencies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_category_counts")),
    )
    op.create_index(
        "ix_category_counts_kind_regency_code", "category_counts", ["kind", "regency_code"]
    )
    rows = _rows("candidates", _CANDIDATES) + _rows("employed", _EMPLOYED)
    if rows:
        op.bulk_insert(table, rows)


def downgrade():
    op.drop_table("category_counts")
