"""Labour inspection (issue 6): the compliance summary and dashboard, the drill-down, reviews,
cases with their deadlines, evidence packs and the admins' roll-ups.

`summary` keeps one row per organisation, `dashboard` ranks and aggregates those rows for an
inspector's provinces, `review` and `cases` are the inspector's actions, `evidence_pack` builds
and verifies the signed ZIP.
"""

from compliance.services.inspections.rebuild import rebuild_summaries
from compliance.services.inspections.summary import catch_up, refresh_summary

__all__ = ["catch_up", "rebuild_summaries", "refresh_summary"]
