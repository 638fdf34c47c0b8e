"""The words of the audit trail: a short label per action, and the part of the work it belongs to.

`services.history_sentences` words each action as a whole sentence; the labels here name the
actions in lists and filters, and an action no label knows yet reads as its area ("Changes to
the roster"), never as its code.
"""

from __future__ import annotations

import logging

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from compliance.labels.codes import ROLE_LABELS, Labels

log = logging.getLogger(__name__)

#: Every audit action, as a short noun phrase (the audit page's filter, a list's "what").
#: `services.history_sentences` words each one as a whole sentence.
ACTION_LABELS: Labels = {
    "organization.signed_up": _l("Organisation registered"),
    "organization.due_month_changed": _l("Reporting month changed"),
    "invitation.sent": _l("Colleague invited"),
    "invitation.accepted": _l("Invitation accepted"),
    "invitation.revoked": _l("Invitation withdrawn"),
    "user.created": _l("Staff account created"),
    "user.updated": _l("Account changed"),
    "user.password_changed": _l("Password changed"),
    "user.password_reset_requested": _l("Password reset requested"),
    "user.password_reset": _l("Password reset"),
    "user.account_setup": _l("Account set up"),
    "user.logged_out": _l("Logged out"),
    "user.sessions_ended": _l("Signed out on every device by an administrator"),
    "mail.sent_again": _l("Undelivered e-mail sent again"),
    "api_token.created": _l("API token made"),
    "api_token.revoked": _l("API token revoked"),
    "webhook.created": _l("Webhook endpoint added"),
    "webhook.updated": _l("Webhook endpoint changed"),
    "webhook.enabled": _l("Webhook endpoint enabled"),
    "webhook.disabled": _l("Webhook endpoint disabled"),
    "webhook.deleted": _l("Webhook endpoint deleted"),
    "webhook.test_sent": _l("Webhook test event sent"),
    "webhook.secret_rolled": _l("Webhook signing secret replaced"),
    "webhook.sent_again": _l("Undelivered webhook event sent again"),
    "establishment.added": _l("Establishment added"),
    "establishment.updated": _l("Establishment changed"),
    "establishment.closed": _l("Establishment closed"),
    "establishment.reopened": _l("Establishment reopened"),
    "workforce.figures_recorded": _l("Monthly figures recorded"),
    "employee.added": _l("Employee added to the roster"),
    "employee.updated": _l("Employee changed"),
    "employee.disability_details_saved": _l("Disability details saved"),
    "employee.disability_details_purged": _l("Disability details deleted"),
    "employee.evidence_verified": _l("Evidence verified"),
    "consent.recorded": _l("Consent recorded"),
    "consent.withdrawn": _l("Consent withdrawn"),
    "import.roster_imported": _l("Roster imported from a file"),
    "import.figures_imported": _l("Monthly figures imported from a file"),
    "import.upload_expired": _l("Unconfirmed upload deleted"),
    "declaration.opened": _l("Declaration started"),
    "declaration.saved": _l("Declaration saved"),
    "declaration.recomputed": _l("Declaration recalculated"),
    "declaration.submitted": _l("Declaration submitted"),
    "declaration.corrected": _l("Declaration corrected"),
    "declaration.receipt_downloaded": _l("Declaration receipt downloaded"),
    "inspection.declaration_accepted": _l("Declaration accepted by the inspector"),
    "inspection.declaration_correction_requested": _l("Correction requested by the inspector"),
    "inspection.declaration_finding": _l("Finding recorded"),
    "inspection.case_opened": _l("Inspection case opened"),
    "inspection.case_nota_2": _l("Nota pemeriksaan II issued"),
    "inspection.case_referred": _l("Referred for investigation"),
    "inspection.case_closed": _l("Case closed"),
    "inspection.case_deadline_passed": _l("The deadline passed"),
    "inspection.case_response": _l("Response to an inspection case"),
    "inspection.names_shown": _l("Inspector viewed employee names"),
    "inspection.summary_exported": _l("Inspection summary exported"),
    "inspection.evidence_pack_exported": _l("Evidence pack exported"),
    "inspection.holiday_added": _l("Holiday added"),
    "inspection.holiday_removed": _l("Holiday removed"),
    "inspection.office_saved": _l("Inspectorate office details changed"),
    "billing.checkout_started": _l("Payment started"),
    "billing.checkout_completed": _l("Payment completed"),
    "billing.subscription_changed": _l("Subscription changed"),
    "billing.payment_failed": _l("Payment failed"),
    "billing.payment_recovered": _l("Payment recovered"),
    "candidate.created": _l("Candidate registered"),
    "candidate.updated": _l("Candidate changed"),
    "candidate.consent_recorded": _l("Candidate consent recorded"),
    "candidate.consent_withdrawn": _l("Candidate consent withdrawn"),
    "candidate.purged": _l("Candidate data deleted"),
    "candidate.synced": _l("Candidate synchronised"),
    "candidate.training_added": _l("Candidate training added"),
    "candidate.training_removed": _l("Candidate training removed"),
    "referral.proposed": _l("Candidate proposed"),
    "referral.removed": _l("Candidate removed from a shortlist"),
    "referral.withdrawn": _l("Proposal withdrawn"),
    "referral.introduced": _l("Candidate introduced to the employer"),
    "referral.interviewed": _l("Candidate interviewed"),
    "referral.hired": _l("Candidate hired"),
    "referral.not_hired": _l("Candidate not hired"),
    "referral_request.created": _l("Request for candidates opened"),
    "referral_request.closed": _l("Request for candidates closed"),
    "referral_request.filled": _l("Request for candidates filled"),
    "referral_request.shortlist_sent": _l("Shortlist sent to the employer"),
    "referral_request.shortlist_seen": _l("Shortlist opened by the employer"),
    "referral_request.flagged_unanswered": _l("Request for candidates flagged as unanswered"),
    "uld.created": _l("Disability service unit (ULD) added"),
    "uld.updated": _l("Disability service unit (ULD) changed"),
    "uld.officer_set": _l("ULD officer assigned"),
    "keys.rotated": _l("Encryption keys rotated"),
    "demo.organization_created": _l("Demo organisation created"),
    "demo.user_created": _l("Demo account created"),
}
#: Who acted when no person did: a job, a payment webhook.
SYSTEM_ACTOR = _l("Kuota Inklusi")
#: What part of the work an action belongs to, by its prefix: the history's "kind" filter,
#: and the words of an action no sentence knows yet.
AREA_LABELS: Labels = {
    "organization": _l("Changes to the organisation"),
    "team": _l("Team and accounts"),
    "establishment": _l("Changes to establishments"),
    "workforce": _l("Monthly figures"),
    "roster": _l("Changes to the roster"),
    "import": _l("Imports"),
    "declaration": _l("Declarations"),
    "inspection": _l("Inspections"),
    "billing": _l("Billing"),
    "registry": _l("Candidates and referrals"),
    "platform": _l("Platform administration"),
    "other": _l("Other changes"),
}
#: Action prefix -> area.
AREA_OF_PREFIX = {
    "organization": "organization",
    "invitation": "team",
    "user": "team",
    "api_token": "team",
    "webhook": "team",
    "establishment": "establishment",
    "workforce": "workforce",
    "employee": "roster",
    "consent": "roster",
    "import": "import",
    "declaration": "declaration",
    "inspection": "inspection",
    "billing": "billing",
    "candidate": "registry",
    "referral": "registry",
    "referral_request": "registry",
    "uld": "platform",
    "keys": "platform",
    "demo": "platform",
}


def area_of(action: str) -> str:
    return AREA_OF_PREFIX.get(action.split(".", 1)[0], "other")


def action_prefixes(area: str) -> tuple[str, ...]:
    """The action prefixes ("employee.", "consent.") of an area, for a query's filter."""
    return tuple(f"{prefix}." for prefix, owner in AREA_OF_PREFIX.items() if owner == area)


def actor_words(stored: str) -> str:
    """Who acted, from a stored label ("Siti Rahma (inspector)", "email (hr_manager)", "system")
    as people read it: "Siti Rahma (Labour inspector)", "Kuota Inklusi"."""
    if not stored or stored == "system":
        return str(SYSTEM_ACTOR)
    name, _, rest = stored.rpartition(" (")
    role = rest.removesuffix(")")
    if name and role in ROLE_LABELS:
        return f"{name} ({ROLE_LABELS[role]})"
    return stored


def action_label(action: str) -> LazyString:
    """An action's words; one no label knows yet reads as its area, never as its code."""
    known = ACTION_LABELS.get(action)
    if known is None:
        log.warning("audit action without a label", extra={"action": action})
        return AREA_LABELS[area_of(action)]
    return known
