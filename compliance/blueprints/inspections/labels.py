"""Labels the inspection pages share (translated lazily, so each request gets its language)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from compliance.blueprints.declarations.forms import STATUS_LABELS
from compliance.blueprints.forms import SECTOR_LABELS
from compliance.blueprints.standing import FOLLOW_UP_LABELS, RECORD_LABELS
from compliance.services.inspections.filters import SizeBand, StatusFilter
from compliance.services.inspections.flags import (
    EXPIRED_EVIDENCE,
    HEADCOUNT_JUMP,
    LATE_DECLARATION,
    UNVERIFIED_EVIDENCE,
)

STATUS_FILTER_LABELS = {
    StatusFilter.FILED_COMPLIANT: RECORD_LABELS["filed_compliant"],
    StatusFilter.FILED_SHORTFALL: RECORD_LABELS["filed_shortfall"],
    StatusFilter.CORRECTION_REQUESTED: FOLLOW_UP_LABELS["correction_requested"],
    StatusFilter.IN_CASE: FOLLOW_UP_LABELS["in_case"],
    StatusFilter.OVERDUE: RECORD_LABELS["overdue"],
    StatusFilter.OPEN: RECORD_LABELS["open"],
    StatusFilter.NOT_OBLIGED: RECORD_LABELS["not_obliged"],
}
SIZE_LABELS = {
    SizeBand.UNDER_100: _l("Fewer than 100 workers"),
    SizeBand.FROM_100: _l("100 to 499 workers"),
    SizeBand.FROM_500: _l("500 to 999 workers"),
    SizeBand.FROM_1000: _l("1,000 workers or more"),
    SizeBand.UNKNOWN: _l("Headcount unknown"),
}
FLAG_LABELS = {
    HEADCOUNT_JUMP: _l("Headcount changed by more than half between two months"),
    UNVERIFIED_EVIDENCE: _l("Employees counted on unverified evidence"),
    EXPIRED_EVIDENCE: _l("Employees whose evidence expired"),
    LATE_DECLARATION: _l("Declaration filed after its deadline"),
}
REVIEW_LABELS = {
    "accepted": _l("Accepted"),
    "correction_requested": _l("Correction requested"),
    "finding": _l("Finding recorded"),
}
STAGE_LABELS = {
    "nota_1": _l("Nota pemeriksaan I"),
    "nota_2": _l("Nota pemeriksaan II"),
    "referred": _l("Referred for investigation"),
    "closed": _l("Closed"),
}
EVENT_LABELS = {
    "opened": _l("Finding recorded: nota pemeriksaan I issued"),
    "nota_2": _l("Nota pemeriksaan II issued"),
    "referred": _l("Referred for investigation"),
    "closed": _l("Case closed"),
    "response": _l("Response from the organisation"),
    "reminder": _l("Reminder: the deadline is near"),
    "deadline_passed": _l("The deadline passed"),
}


def common_labels() -> dict[str, object]:
    return {
        "status_labels": STATUS_LABELS,
        "sector_labels": {k.value: v for k, v in SECTOR_LABELS.items()},
        "status_filter_labels": STATUS_FILTER_LABELS,
        "size_labels": SIZE_LABELS,
        "flag_labels": FLAG_LABELS,
        "review_labels": REVIEW_LABELS,
        "stage_labels": STAGE_LABELS,
        "event_labels": EVENT_LABELS,
    }
