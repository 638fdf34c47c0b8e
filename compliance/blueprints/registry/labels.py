"""Labels the registry's templates share (one dict, like the roster's `LABELS`)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from compliance.blueprints.registry.forms import GIVER_LABELS
from compliance.blueprints.roster.forms import CATEGORY_LABELS, METHOD_LABELS
from compliance.models.referrals import RequestStatus
from compliance.models.registry import CandidateStatus
from compliance.services.registry.vocabulary import (
    ACCOMMODATIONS,
    AVAILABILITY_LABELS,
    EDUCATION_LABELS,
    HOURS_LABELS,
    NOT_HIRED_LABELS,
    REFERRAL_STATUS_LABELS,
    SKILLS,
)

CANDIDATE_STATUS_LABELS = {
    CandidateStatus.DRAFT: _l("Draft: no consent yet"),
    CandidateStatus.ACTIVE: _l("In matching"),
    CandidateStatus.WITHDRAWN: _l("Consent withdrawn: to be deleted"),
}
REQUEST_STATUS_LABELS = {
    RequestStatus.OPEN: _l("Open"),
    RequestStatus.CLOSED: _l("Closed"),
}
LABELS: dict[str, Any] = {
    "categories": CATEGORY_LABELS,
    "methods": METHOD_LABELS,
    "givers": GIVER_LABELS,
    "skills": SKILLS,
    "accommodations": ACCOMMODATIONS,
    "education": EDUCATION_LABELS,
    "hours": HOURS_LABELS,
    "availability": AVAILABILITY_LABELS,
    "candidate_status": CANDIDATE_STATUS_LABELS,
    "request_status": REQUEST_STATUS_LABELS,
    "referral_status": REFERRAL_STATUS_LABELS,
    "not_hired": NOT_HIRED_LABELS,
}
