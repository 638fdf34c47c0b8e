"""Words for every code a user may read: enum values, vocabularies and audit actions.

Codes are stored and compared; people read words. Every page, document, export and e-mail
turns a code into its word here, so a code reads the same everywhere and a new one is added in
one place (issue 16). Labels are translated lazily: each request and each e-mail (rendered under
its recipient's locale) gets its own language. Templates use the `|label` filter (registered in
`web.register_blueprints`), Python calls `label(...)`; documents that are bilingual whatever the
reader's language use `both(...)`.

The tables live in `codes` (every enum and vocabulary) and `actions` (the audit trail); this
module looks them up by kind and is where everyone imports them from. The package imports
models, the quota engine's enums and flask_babel only, so blueprints, services and jobs may all
import it. Enums defined in services (the status of record, the inspector's filters, the
ledger) are keyed by their plain codes: a `StrEnum` member equals its code, so either finds it.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterator, Mapping
from typing import TypeAlias

from flask_babel import LazyString, force_locale

from compliance.labels.actions import (
    ACTION_LABELS,
    AREA_LABELS,
    AREA_OF_PREFIX,
    SYSTEM_ACTOR,
    action_label,
    action_prefixes,
    actor_words,
    area_of,
)
from compliance.labels.codes import (
    ACCOMMODATIONS,
    AVAILABILITY_LABELS,
    BILLING_INTERVAL_LABELS,
    CANDIDATE_GIVER_LABELS,
    CANDIDATE_SORT_LABELS,
    CANDIDATE_STATUS_LABELS,
    CATEGORY_LABELS,
    CONSENT_STATUS_LABELS,
    DECLARATION_STATUS_LABELS,
    EDUCATION_LABELS,
    EMPLOYMENT_TYPE_LABELS,
    EVENT_LABELS,
    EVIDENCE_LABELS,
    EXPORT_KIND_LABELS,
    FLAG_LABELS,
    FOLLOW_UP_LABELS,
    GIVER_LABELS,
    HOURS_LABELS,
    IMPORT_KIND_LABELS,
    IMPORT_STATUS_LABELS,
    JOB_OUTCOME_LABELS,
    LEDGER_LABELS,
    LEGAL_FORM_LABELS,
    METHOD_LABELS,
    NOT_HIRED_LABELS,
    QUOTA_STATUS_LABELS,
    RECORD_LABELS,
    REFERRAL_STATUS_LABELS,
    REQUEST_STATUS_LABELS,
    REVIEW_LABELS,
    ROLE_LABELS,
    ROSTER_SORT_LABELS,
    SECTOR_LABELS,
    SIZE_LABELS,
    SKILLS,
    STAGE_LABELS,
    STATUS_FILTER_LABELS,
    SUBSCRIPTION_STATUS_LABELS,
    VERIFICATION_LABELS,
    WORKER_GROUP_LABELS,
    Labels,
)

#: Every table and helper, importable from `compliance.labels`.
__all__ = [
    "ACCOMMODATIONS",
    "ACTION_LABELS",
    "AREA_LABELS",
    "AREA_OF_PREFIX",
    "AVAILABILITY_LABELS",
    "BILLING_INTERVAL_LABELS",
    "CANDIDATE_GIVER_LABELS",
    "CANDIDATE_SORT_LABELS",
    "CANDIDATE_STATUS_LABELS",
    "CATEGORY_LABELS",
    "CONSENT_STATUS_LABELS",
    "DECLARATION_STATUS_LABELS",
    "EDUCATION_LABELS",
    "EMPLOYMENT_TYPE_LABELS",
    "EVENT_LABELS",
    "EVIDENCE_LABELS",
    "EXPORT_KIND_LABELS",
    "FLAG_LABELS",
    "FOLLOW_UP_LABELS",
    "GIVER_LABELS",
    "HOURS_LABELS",
    "IMPORT_KIND_LABELS",
    "IMPORT_STATUS_LABELS",
    "JOB_OUTCOME_LABELS",
    "LEDGER_LABELS",
    "LEGAL_FORM_LABELS",
    "METHOD_LABELS",
    "NOT_HIRED_LABELS",
    "QUOTA_STATUS_LABELS",
    "RECORD_LABELS",
    "REFERRAL_STATUS_LABELS",
    "REQUEST_STATUS_LABELS",
    "REVIEW_LABELS",
    "ROLE_LABELS",
    "ROSTER_SORT_LABELS",
    "SECTOR_LABELS",
    "SIZE_LABELS",
    "SKILLS",
    "STAGE_LABELS",
    "STATUS_FILTER_LABELS",
    "SUBSCRIPTION_STATUS_LABELS",
    "SYSTEM_ACTOR",
    "VERIFICATION_LABELS",
    "WORKER_GROUP_LABELS",
    "Labels",
    "action_label",
    "action_prefixes",
    "actor_words",
    "area_of",
]

log = logging.getLogger(__name__)

#: What a label is: a lazily translated string (or a plain one where a name is data).
Label: TypeAlias = LazyString | str

# --- one lookup for all -----------------------------------------------------------------------

#: Every kind of code by name, for `label((kind, code))` and `|label(kind)`.
KINDS: dict[str, Labels] = {
    "sector": SECTOR_LABELS,
    "legal_form": LEGAL_FORM_LABELS,
    "role": ROLE_LABELS,
    "employment_type": EMPLOYMENT_TYPE_LABELS,
    "worker_group": WORKER_GROUP_LABELS,
    "category": CATEGORY_LABELS,
    "evidence": EVIDENCE_LABELS,
    "verification": VERIFICATION_LABELS,
    "consent_giver": GIVER_LABELS,
    "candidate_consent_giver": CANDIDATE_GIVER_LABELS,
    "consent_method": METHOD_LABELS,
    "consent_status": CONSENT_STATUS_LABELS,
    "roster_sort": ROSTER_SORT_LABELS,
    "candidate_sort": CANDIDATE_SORT_LABELS,
    "quota_status": QUOTA_STATUS_LABELS,
    "declaration_status": DECLARATION_STATUS_LABELS,
    "ledger": LEDGER_LABELS,
    "record": RECORD_LABELS,
    "follow_up": FOLLOW_UP_LABELS,
    "status_filter": STATUS_FILTER_LABELS,
    "size_band": SIZE_LABELS,
    "flag": FLAG_LABELS,
    "review": REVIEW_LABELS,
    "stage": STAGE_LABELS,
    "case_event": EVENT_LABELS,
    "import_kind": IMPORT_KIND_LABELS,
    "import_status": IMPORT_STATUS_LABELS,
    "subscription_status": SUBSCRIPTION_STATUS_LABELS,
    "billing_interval": BILLING_INTERVAL_LABELS,
    "job_outcome": JOB_OUTCOME_LABELS,
    "export_kind": EXPORT_KIND_LABELS,
    "skill": SKILLS,
    "accommodation": ACCOMMODATIONS,
    "education": EDUCATION_LABELS,
    "hours": HOURS_LABELS,
    "availability": AVAILABILITY_LABELS,
    "candidate_status": CANDIDATE_STATUS_LABELS,
    "request_status": REQUEST_STATUS_LABELS,
    "referral_status": REFERRAL_STATUS_LABELS,
    "not_hired": NOT_HIRED_LABELS,
    "action": ACTION_LABELS,
    "area": AREA_LABELS,
}
#: The kind of each enum class whose members are shown, by class name (services' enums too,
#: which this module may not import).
KIND_OF_ENUM = {
    "Sector": "sector",
    "ExportKind": "export_kind",
    "LegalForm": "legal_form",
    "Role": "role",
    "EmploymentType": "employment_type",
    "DisabilityCategory": "category",
    "EvidenceType": "evidence",
    "VerificationState": "verification",
    "ConsentGiver": "consent_giver",
    "CandidateConsentGiver": "candidate_consent_giver",
    "ConsentMethod": "consent_method",
    "ConsentStatus": "consent_status",
    "RosterSort": "roster_sort",
    "CandidateSort": "candidate_sort",
    "Status": "quota_status",
    "DeclarationStatus": "declaration_status",
    "LedgerReason": "ledger",
    "Standing": "record",
    "FollowUp": "follow_up",
    "StatusFilter": "status_filter",
    "SizeBand": "size_band",
    "ReviewOutcome": "review",
    "CaseStage": "stage",
    "CaseEventKind": "case_event",
    "ImportKind": "import_kind",
    "ImportStatus": "import_status",
    "SubscriptionStatus": "subscription_status",
    "EducationLevel": "education",
    "Hours": "hours",
    "Availability": "availability",
    "CandidateStatus": "candidate_status",
    "RequestStatus": "request_status",
    "ReferralStatus": "referral_status",
    "NotHiredReason": "not_hired",
}


def label(value: object, kind: str | None = None) -> Label:
    """The words for `value`: an enum member, a `(kind, code)` pair, or a code with its `kind`.

    None reads as a dash. A code without a label is logged and shown as it is: the no-codes
    test (tests/web/test_no_codes.py) finds it on the page, which is where it should be fixed.
    """
    if isinstance(value, tuple):
        kind, value = value
    if value is None or value == "":
        return "—"
    if kind is None and isinstance(value, enum.Enum):
        kind = KIND_OF_ENUM.get(type(value).__name__)
    if kind == "action":
        return action_label(str(value))
    table = KINDS.get(kind or "")
    found = table.get(value) if table is not None else None
    if found is None:
        log.warning("code without a label", extra={"kind": kind, "code": str(value)})
        return str(getattr(value, "value", value))
    return found


def labels_of(kind: str) -> Labels:
    """Every label of a kind, in its order (a select's choices)."""
    return KINDS[kind]


def both(value: object, kind: str | None = None) -> str:
    """Indonesian with the English in brackets, for documents that are bilingual whatever the
    reader's language (receipts, evidence packs): "Fisik (Physical)"."""
    words = label(value, kind)
    if not isinstance(words, LazyString):
        return words
    with force_locale("id"):
        indonesian = str(words)
    with force_locale("en"):
        english = str(words)
    return indonesian if indonesian == english else f"{indonesian} ({english})"


class Bilingual(Mapping[str, str]):
    """A kind's labels as the bilingual documents print them (`both`), read like a dict:
    `QUOTA_STATUS.get(code, "-")`. Documents and pages then say the same words."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __getitem__(self, code: str) -> str:
        if code not in KINDS[self.kind]:
            raise KeyError(code)
        return both(code, self.kind)

    def __iter__(self) -> Iterator[str]:
        return iter(str(code) for code in KINDS[self.kind])

    def __len__(self) -> int:
        return len(KINDS[self.kind])


# --- the tables templates read by name ----------------------------------------------------------

#: The roster's pages: `labels.categories[c]`, `labels.consent_status[row.consent]` ...
ROSTER_TEMPLATE_LABELS: dict[str, Labels] = {
    "employment_types": EMPLOYMENT_TYPE_LABELS,
    "categories": CATEGORY_LABELS,
    "evidence_types": EVIDENCE_LABELS,
    "verification": VERIFICATION_LABELS,
    "givers": GIVER_LABELS,
    "methods": METHOD_LABELS,
    "consent_status": CONSENT_STATUS_LABELS,
}
#: The registry's pages.
REGISTRY_TEMPLATE_LABELS: dict[str, Labels] = {
    "categories": CATEGORY_LABELS,
    "methods": METHOD_LABELS,
    "givers": CANDIDATE_GIVER_LABELS,
    "skills": SKILLS,
    "accommodations": ACCOMMODATIONS,
    "education": EDUCATION_LABELS,
    "hours": HOURS_LABELS,
    "availability": AVAILABILITY_LABELS,
    "candidate_status": CANDIDATE_STATUS_LABELS,
    "request_status": REQUEST_STATUS_LABELS,
    "referral_status": REFERRAL_STATUS_LABELS,
    "not_hired": NOT_HIRED_LABELS,
    "sectors": SECTOR_LABELS,
}
#: The inspection pages' names for the same tables.
INSPECTION_TEMPLATE_LABELS: dict[str, Labels] = {
    "status_labels": QUOTA_STATUS_LABELS,
    "sector_labels": SECTOR_LABELS,
    "status_filter_labels": STATUS_FILTER_LABELS,
    "size_labels": SIZE_LABELS,
    "flag_labels": FLAG_LABELS,
    "review_labels": REVIEW_LABELS,
    "stage_labels": STAGE_LABELS,
    "event_labels": EVENT_LABELS,
    "category_labels": CATEGORY_LABELS,
}
