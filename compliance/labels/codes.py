"""The words of every code a record holds: sectors, roles, categories, statuses, vocabularies.

Keyed by the models' and the quota engine's enum members; the enums that live in services (the
status of record, the inspector's filters, the ledger) are keyed by their plain codes, which a
`StrEnum` member equals. `compliance.labels` looks them all up by kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from compliance.models.accounts import Role
from compliance.models.billing import SubscriptionStatus
from compliance.models.declarations import DeclarationStatus
from compliance.models.imports import ImportKind, ImportStatus
from compliance.models.inspections import CaseEventKind, CaseStage, ReviewOutcome
from compliance.models.organizations import Sector
from compliance.models.people import ConsentGiver, ConsentMethod, VerificationState
from compliance.models.referrals import NotHiredReason, ReferralStatus, RequestStatus
from compliance.models.registry import (
    Availability,
    CandidateConsentGiver,
    CandidateStatus,
    EducationLevel,
    Hours,
)
from compliance.quota.vocab import DisabilityCategory, EmploymentType, EvidenceType, LegalForm
from compliance.quota.vocab import Status as QuotaStatus

#: A table of words by code.
Labels: TypeAlias = Mapping[Any, LazyString]

# --- organisations and people -----------------------------------------------------------------

SECTOR_LABELS: Labels = {
    Sector.CENTRAL_GOVERNMENT: _l("Central government agency"),
    Sector.REGIONAL_GOVERNMENT: _l("Regional government agency"),
    Sector.SOE: _l("State-owned enterprise (BUMN)"),
    Sector.REGIONAL_SOE: _l("Regional-owned enterprise (BUMD)"),
    Sector.PRIVATE: _l("Private company"),
}
LEGAL_FORM_LABELS: Labels = {
    LegalForm.SOE_SUBSIDIARY: _l("Subsidiary of a state-owned enterprise"),
    LegalForm.REGIONAL_SOE_SUBSIDIARY: _l("Subsidiary of a regional-owned enterprise"),
    LegalForm.COOPERATIVE: _l("Cooperative"),
    LegalForm.FOUNDATION: _l("Foundation"),
}
ROLE_LABELS: Labels = {
    Role.HR_MANAGER: _l("HR manager"),
    Role.INSPECTOR: _l("Labour inspector"),
    Role.REGISTRY_OFFICER: _l("ULD registry officer"),
    Role.ADMIN: _l("Administrator"),
}
EMPLOYMENT_TYPE_LABELS: Labels = {
    EmploymentType.PERMANENT: _l("Permanent (PKWTT)"),
    EmploymentType.FIXED_TERM: _l("Fixed-term (PKWT)"),
    EmploymentType.DAILY: _l("Daily worker"),
    EmploymentType.PART_TIME: _l("Part-time"),
    EmploymentType.OUTSOURCED: _l("Outsourced"),
    EmploymentType.INTERN: _l("Intern or apprentice"),
    EmploymentType.PNS: _l("Civil servant (PNS)"),
    EmploymentType.PPPK: _l("Government employee with a work agreement (PPPK)"),
    EmploymentType.HONORER: _l("Honorary staff (honorer)"),
}
#: The same types as groups of people, for the monthly headcounts (plain words first, the
#: legal term in brackets: HR staff know "PKWTT", others do not).
WORKER_GROUP_LABELS: Labels = {
    EmploymentType.PERMANENT: _l("Permanent workers (PKWTT)"),
    EmploymentType.FIXED_TERM: _l("Fixed-term contract workers (PKWT)"),
    EmploymentType.DAILY: _l("Daily workers (pekerja harian lepas)"),
    EmploymentType.PART_TIME: _l("Part-time workers"),
    EmploymentType.OUTSOURCED: _l("Outsourced workers (alih daya)"),
    EmploymentType.INTERN: _l("Interns and apprentices (magang)"),
    EmploymentType.PNS: _l("Civil servants (PNS)"),
    EmploymentType.PPPK: _l("Government employees on contract (PPPK)"),
    EmploymentType.HONORER: _l("Honorary staff (honorer)"),
}
CATEGORY_LABELS: Labels = {
    DisabilityCategory.PHYSICAL: _l("Physical"),
    DisabilityCategory.INTELLECTUAL: _l("Intellectual"),
    DisabilityCategory.MENTAL: _l("Mental"),
    DisabilityCategory.SENSORY: _l("Sensory"),
    DisabilityCategory.MULTIPLE: _l("Multiple"),
}
EVIDENCE_LABELS: Labels = {
    EvidenceType.KPD: _l("Disability card (KPD)"),
    EvidenceType.MEDICAL_LETTER: _l("Medical letter"),
    EvidenceType.ULD_ASSESSMENT: _l("Assessment by a disability service unit (ULD)"),
    EvidenceType.SELF_DECLARATION: _l("Self-declaration"),
}
VERIFICATION_LABELS: Labels = {
    VerificationState.UNVERIFIED: _l("Not verified"),
    VerificationState.VERIFIED: _l("Verified"),
}
GIVER_LABELS: Labels = {
    ConsentGiver.EMPLOYEE: _l("The employee"),
    ConsentGiver.GUARDIAN: _l("The employee's guardian"),
}
CANDIDATE_GIVER_LABELS: Labels = {
    CandidateConsentGiver.CANDIDATE: _l("The candidate"),
    CandidateConsentGiver.GUARDIAN: _l("The candidate's guardian"),
}
METHOD_LABELS: Labels = {
    ConsentMethod.WRITTEN: _l("Signed on paper"),
    ConsentMethod.ELECTRONIC: _l("Electronically"),
    ConsentMethod.RECORDED_ORAL: _l("Spoken, and recorded"),
}
#: `services.roster.ConsentStatus`
CONSENT_STATUS_LABELS: Labels = {
    "none": _l("No consent yet"),
    "active": _l("Consent given"),
    "withdrawn": _l("Consent withdrawn"),
}
#: `services.registry.candidate_list.CandidateSort`
CANDIDATE_SORT_LABELS: Labels = {
    "newest": _l("Newest first"),
    "number": _l("Number"),
    "regency": _l("Regency or city"),
    "availability": _l("Availability"),
}
#: `services.roster.RosterSort`
ROSTER_SORT_LABELS: Labels = {
    "name": _l("Name"),
    "number": _l("Employee number"),
    "start": _l("Start date"),
}

# --- declarations and the status of record ------------------------------------------------------

QUOTA_STATUS_LABELS: Labels = {
    QuotaStatus.COMPLIANT: _l("Compliant"),
    QuotaStatus.SHORTFALL: _l("Shortfall"),
    QuotaStatus.NO_OBLIGATION: _l("No obligation"),
    QuotaStatus.INSUFFICIENT_DATA: _l("Insufficient data"),
}
DECLARATION_STATUS_LABELS: Labels = {
    DeclarationStatus.DRAFT: _l("Draft"),
    DeclarationStatus.SUBMITTED: _l("Submitted"),
}
#: `services.declarations.roster_facts.LedgerReason`
LEDGER_LABELS: Labels = {
    "counted": _l("Counted"),
    "counted_unverified": _l("Counted (evidence not verified)"),
    "no_consent": _l("Not counted: no active consent"),
    "not_employed": _l("Not counted: not employed this month"),
    "no_category": _l("Not counted: no disability category recorded"),
    "no_evidence": _l("Not counted: no evidence recorded"),
    "evidence_expired": _l("Not counted: evidence expired"),
}
#: The status of record (`services.declarations.status.PeriodStatus.key`, and its `Standing`).
RECORD_LABELS: Labels = {
    "filed_compliant": _l("Filed: compliant"),
    "filed_shortfall": _l("Filed: shortfall"),
    "filed_no_obligation": _l("Filed: no obligation"),
    "filed_insufficient_data": _l("Filed: insufficient data"),
    "submitted": _l("Submitted"),
    "open": _l("Open: not due yet"),
    "overdue": _l("Overdue: not filed"),
    "not_obliged": _l("Not obliged"),
}
#: `services.declarations.status.FollowUp`
FOLLOW_UP_LABELS: Labels = {
    "accepted": _l("Accepted by the inspector"),
    "correction_requested": _l("Correction requested by the inspector"),
    "in_case": _l("In an inspection case"),
    "case_closed": _l("Inspection case closed"),
}

# --- inspections ------------------------------------------------------------------------------

#: `services.inspections.filters.StatusFilter`: the status of record plus two follow-ups.
STATUS_FILTER_LABELS: Labels = {
    "filed_compliant": RECORD_LABELS["filed_compliant"],
    "filed_shortfall": RECORD_LABELS["filed_shortfall"],
    "correction_requested": FOLLOW_UP_LABELS["correction_requested"],
    "in_case": FOLLOW_UP_LABELS["in_case"],
    "overdue": RECORD_LABELS["overdue"],
    "open": RECORD_LABELS["open"],
    "not_obliged": RECORD_LABELS["not_obliged"],
}
#: `services.inspections.filters.SizeBand`
SIZE_LABELS: Labels = {
    "under_100": _l("Fewer than 100 workers"),
    "100_499": _l("100 to 499 workers"),
    "500_999": _l("500 to 999 workers"),
    "1000_plus": _l("1,000 workers or more"),
    "unknown": _l("Headcount unknown"),
}
#: `services.inspections.flags`
FLAG_LABELS: Labels = {
    "headcount_jump": _l("Headcount changed by more than half between two months"),
    "unverified_evidence": _l("Employees counted on unverified evidence"),
    "expired_evidence": _l("Employees whose evidence expired"),
    "late_declaration": _l("Declaration filed after its deadline"),
}
REVIEW_LABELS: Labels = {
    ReviewOutcome.ACCEPTED: _l("Accepted"),
    ReviewOutcome.CORRECTION_REQUESTED: _l("Correction requested"),
    ReviewOutcome.FINDING: _l("Finding recorded"),
}
STAGE_LABELS: Labels = {
    CaseStage.NOTA_1: _l("Nota pemeriksaan I"),
    CaseStage.NOTA_2: _l("Nota pemeriksaan II"),
    CaseStage.REFERRED: _l("Referred for investigation"),
    CaseStage.CLOSED: _l("Closed"),
}
EVENT_LABELS: Labels = {
    CaseEventKind.OPENED: _l("Finding recorded: nota pemeriksaan I issued"),
    CaseEventKind.NOTA_2: _l("Nota pemeriksaan II issued"),
    CaseEventKind.REFERRED: _l("Referred for investigation"),
    CaseEventKind.CLOSED: _l("Case closed"),
    CaseEventKind.RESPONSE: _l("Response from the organisation"),
    CaseEventKind.REMINDER: _l("Reminder: the deadline is near"),
    CaseEventKind.DEADLINE_PASSED: _l("The deadline passed"),
}

# --- imports and billing ----------------------------------------------------------------------

IMPORT_KIND_LABELS: Labels = {
    ImportKind.ROSTER: _l("Roster of employees with disabilities"),
    ImportKind.FIGURES: _l("Monthly workforce figures"),
}
IMPORT_STATUS_LABELS: Labels = {
    ImportStatus.VALIDATING: _l("Checking the file"),
    ImportStatus.INVALID: _l("The file has errors; nothing was saved"),
    ImportStatus.READY: _l("Checked: waiting for your confirmation"),
    ImportStatus.IMPORTING: _l("Saving"),
    ImportStatus.DONE: _l("Imported"),
    ImportStatus.FAILED: _l("Stopped by an error"),
    ImportStatus.DISCARDED: _l("Discarded"),  # a running one may have saved rows: see its page
}
SUBSCRIPTION_STATUS_LABELS: Labels = {
    SubscriptionStatus.NONE: _l("no subscription"),
    SubscriptionStatus.INCOMPLETE: _l("waiting for the first payment"),
    SubscriptionStatus.INCOMPLETE_EXPIRED: _l("first payment not made"),
    SubscriptionStatus.TRIALING: _l("trial"),
    SubscriptionStatus.ACTIVE: _l("active"),
    SubscriptionStatus.PAST_DUE: _l("payment overdue"),
    SubscriptionStatus.CANCELED: _l("cancelled"),
    SubscriptionStatus.UNPAID: _l("unpaid"),
    SubscriptionStatus.PAUSED: _l("paused"),
}

BILLING_INTERVAL_LABELS: Labels = {
    "month": _l("monthly"),
    "year": _l("yearly"),
}
#: `models.jobs.JobRun.outcome`
EXPORT_KIND_LABELS: Labels = {
    "evidence_pack": _l("Evidence pack"),
    "compliance_summary": _l("Compliance summary workbook"),
}

JOB_OUTCOME_LABELS: Labels = {
    "running": _l("running"),
    "succeeded": _l("succeeded"),
    "partial": _l("partly failed"),
    "failed": _l("failed"),
}

# --- the registry of job seekers ----------------------------------------------------------------

#: Skill codes: candidates and vacancies pick from the same list, so matching compares codes.
SKILLS: Labels = {
    "admin": _l("Office administration"),
    "data_entry": _l("Data entry"),
    "customer_service": _l("Customer service"),
    "call_centre": _l("Call centre"),
    "accounting": _l("Bookkeeping and accounting"),
    "it_support": _l("IT support"),
    "programming": _l("Programming"),
    "graphic_design": _l("Graphic design"),
    "sewing": _l("Sewing and tailoring"),
    "handicraft": _l("Handicraft"),
    "cooking": _l("Cooking and food preparation"),
    "cleaning": _l("Cleaning and housekeeping"),
    "packing": _l("Packing and warehouse"),
    "assembly": _l("Assembly and production line"),
    "massage": _l("Massage therapy"),
    "retail": _l("Retail and cashier"),
    "driving": _l("Driving"),
    "gardening": _l("Gardening and agriculture"),
    "sign_language": _l("Indonesian Sign Language (BISINDO)"),
    "translation": _l("Writing and translation"),
}
#: Workplace accommodation codes, shared by candidates' needs and vacancies' offers.
ACCOMMODATIONS: Labels = {
    "step_free_access": _l("Step-free access and accessible toilet"),
    "screen_reader": _l("Screen reader or magnifier on the work computer"),
    "sign_language_interpreter": _l("Sign language interpreter for meetings"),
    "written_instructions": _l("Written or visual instructions"),
    "flexible_hours": _l("Flexible working hours"),
    "quiet_space": _l("Quiet workspace"),
    "job_coach": _l("Job coach or buddy during the first months"),
    "adapted_tools": _l("Adapted tools or workstation"),
    "accessible_transport": _l("Accessible transport or transport allowance"),
}
EDUCATION_LABELS: Labels = {
    EducationLevel.NONE: _l("No formal schooling"),
    EducationLevel.PRIMARY: _l("Primary school (SD)"),
    EducationLevel.JUNIOR: _l("Junior secondary (SMP)"),
    EducationLevel.SENIOR: _l("Senior secondary (SMA/SMK/SLB)"),
    EducationLevel.DIPLOMA: _l("Diploma (D1-D4)"),
    EducationLevel.BACHELOR: _l("Bachelor (S1)"),
    EducationLevel.POSTGRADUATE: _l("Postgraduate (S2/S3)"),
}
HOURS_LABELS: Labels = {
    Hours.FULL_TIME: _l("Full time"),
    Hours.PART_TIME: _l("Part time"),
    Hours.EITHER: _l("Full or part time"),
}
AVAILABILITY_LABELS: Labels = {
    Availability.AVAILABLE: _l("Available now"),
    Availability.IN_TRAINING: _l("In training"),
    Availability.NOT_AVAILABLE: _l("Not available"),
}
CANDIDATE_STATUS_LABELS: Labels = {
    CandidateStatus.DRAFT: _l("Draft: no consent yet"),
    CandidateStatus.ACTIVE: _l("In matching"),
    CandidateStatus.WITHDRAWN: _l("Consent withdrawn: to be deleted"),
}
REQUEST_STATUS_LABELS: Labels = {
    RequestStatus.OPEN: _l("Open"),
    RequestStatus.CLOSED: _l("Closed"),
}
REFERRAL_STATUS_LABELS: Labels = {
    ReferralStatus.PROPOSED: _l("Proposed"),
    ReferralStatus.INTRODUCED: _l("Introduced"),
    ReferralStatus.INTERVIEWED: _l("Interviewed"),
    ReferralStatus.HIRED: _l("Hired"),
    ReferralStatus.NOT_HIRED: _l("Not hired"),
    ReferralStatus.WITHDRAWN: _l("Withdrawn"),
}
NOT_HIRED_LABELS: Labels = {
    NotHiredReason.SKILLS: _l("Skills did not match"),
    NotHiredReason.EXPERIENCE: _l("Not enough experience"),
    NotHiredReason.ACCOMMODATION: _l("Needed accommodation not possible"),
    NotHiredReason.ACCESSIBILITY: _l("Workplace not accessible"),
    NotHiredReason.TRANSPORT: _l("Travel to work not possible"),
    NotHiredReason.PAY_OR_HOURS: _l("Pay or hours did not suit"),
    NotHiredReason.CANDIDATE_DECLINED: _l("The candidate declined"),
    NotHiredReason.POSITION_FILLED: _l("The position was filled"),
    NotHiredReason.OTHER: _l("Other reason"),
}
