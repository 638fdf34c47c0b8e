"""Audit events as sentences a person reads: "Siti Rahma changed the figures of Gudang Bantul
for November 2026", with the change itself ("Permanent workers (PKWTT): 40 → 42") beside it.

One sentence per audit action (`SENTENCES`, or `SYSTEM_SENTENCES` when nobody acted: a job, a
webhook). An action no sentence knows yet still reads as words: the actor and the part of the
work it touched ("Siti Rahma — Changes to the roster"), never its code. The caller resolves the
actor's and the object's names (`services.history`) within the reader's reach, so a sentence
names only what its reader may see; the event's stored data adds the rest. Disability details
never enter a sentence: events record which fields changed, not their values, and the sentences
do not even list those fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import LazyString, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from compliance.labels import (
    AREA_LABELS,
    METHOD_LABELS,
    NOT_HIRED_LABELS,
    ROLE_LABELS,
    SUBSCRIPTION_STATUS_LABELS,
    WORKER_GROUP_LABELS,
    area_of,
    label,
)

SENTENCES: dict[str, LazyString] = {
    "organization.signed_up": _l("%(actor)s registered %(object)s"),
    "organization.due_month_changed": _l(
        "%(actor)s moved the month the yearly report is due from %(old)s to %(new)s"
    ),
    "invitation.sent": _l("%(actor)s invited %(email)s to the team"),
    "invitation.accepted": _l("%(actor)s accepted the invitation and joined the team"),
    "invitation.revoked": _l("%(actor)s withdrew the invitation of %(email)s"),
    "user.created": _l("%(actor)s created the account of %(object)s (%(role)s)"),
    "user.updated": _l("%(actor)s changed the account of %(object)s"),
    "user.password_changed": _l("%(actor)s changed their password"),
    "user.password_reset": _l("%(actor)s set a new password with a reset link"),
    "user.account_setup": _l("%(actor)s set up their account"),
    "user.logged_out": _l("%(actor)s signed out"),
    "user.sessions_ended": _l("%(actor)s signed %(object)s out on every device"),
    "mail.sent_again": _l("%(actor)s sent an undelivered e-mail again"),
    "api_token.created": _l("%(actor)s made the API token “%(name)s”"),
    "api_token.revoked": _l("%(actor)s revoked the API token “%(name)s”"),
    "webhook.created": _l("%(actor)s added the webhook endpoint “%(description)s”"),
    "webhook.updated": _l("%(actor)s changed the webhook endpoint “%(description)s”"),
    "webhook.enabled": _l("%(actor)s enabled the webhook endpoint “%(description)s”"),
    "webhook.disabled": _l("%(actor)s disabled the webhook endpoint “%(description)s”"),
    "webhook.deleted": _l("%(actor)s deleted the webhook endpoint “%(description)s”"),
    "webhook.test_sent": _l(
        "%(actor)s sent a test event to the webhook endpoint “%(description)s”"
    ),
    "webhook.secret_rolled": _l(
        "%(actor)s replaced the signing secret of the webhook endpoint “%(description)s”"
    ),
    "webhook.sent_again": _l(
        "%(actor)s sent an undelivered event again to the webhook endpoint “%(description)s”"
    ),
    "establishment.added": _l("%(actor)s added the establishment %(object)s"),
    "establishment.updated": _l("%(actor)s changed the establishment %(object)s"),
    "establishment.closed": _l("%(actor)s closed the establishment %(object)s"),
    "establishment.reopened": _l("%(actor)s reopened the establishment %(object)s"),
    "workforce.figures_recorded": _l("%(actor)s changed the figures of %(object)s for %(month)s"),
    "employee.added": _l("%(actor)s added %(object)s to the roster"),
    "employee.updated": _l("%(actor)s changed the employment details of %(object)s"),
    "employee.disability_details_saved": _l("%(actor)s saved the disability details of %(object)s"),
    "employee.evidence_verified": _l("%(actor)s verified the evidence of %(object)s"),
    "consent.recorded": _l("%(actor)s recorded the consent of %(employee)s (%(method)s)"),
    "consent.withdrawn": _l("%(actor)s recorded that %(employee)s withdrew their consent"),
    "import.roster_imported": _l(
        "%(actor)s imported the roster from a file: %(created)s added, %(updated)s changed"
    ),
    "import.figures_imported": _l(
        "%(actor)s imported monthly figures from a file: %(created)s added, %(updated)s changed"
    ),
    "declaration.opened": _l("%(actor)s started the declaration for %(period)s"),
    "declaration.saved": _l("%(actor)s saved the declaration for %(period)s"),
    "declaration.recomputed": _l("%(actor)s recalculated the declaration for %(period)s"),
    "declaration.submitted": _l(
        "%(actor)s submitted the declaration for %(period)s (version %(version)s)"
    ),
    "declaration.corrected": _l("%(actor)s started a correction of the declaration for %(period)s"),
    "declaration.receipt_downloaded": _l(
        "%(actor)s downloaded the receipt of the declaration for %(period)s"
    ),
    "inspection.declaration_accepted": _l("%(actor)s accepted the declaration for %(period)s"),
    "inspection.declaration_correction_requested": _l(
        "%(actor)s asked for a correction of the declaration for %(period)s"
    ),
    "inspection.declaration_finding": _l(
        "%(actor)s recorded a finding on the declaration for %(period)s"
    ),
    "inspection.case_opened": _l("%(actor)s opened an inspection case (nota pemeriksaan I)"),
    "inspection.case_nota_2": _l("%(actor)s issued nota pemeriksaan II"),
    "inspection.case_referred": _l("%(actor)s referred the inspection case for investigation"),
    "inspection.case_closed": _l("%(actor)s closed the inspection case"),
    "inspection.case_response": _l("%(actor)s responded to the inspection case"),
    "inspection.names_shown": _l("%(actor)s viewed the employees' names (people shown: %(count)s)"),
    "inspection.summary_exported": _l("%(actor)s exported the inspection summary of %(region)s"),
    "inspection.evidence_pack_exported": _l("%(actor)s exported the evidence pack for %(period)s"),
    "inspection.holiday_added": _l("%(actor)s added the holiday %(name)s on %(day)s"),
    "inspection.holiday_removed": _l("%(actor)s removed the holiday %(name)s on %(day)s"),
    "inspection.office_saved": _l(
        "%(actor)s changed the details of the inspectorate office of %(region)s"
    ),
    "billing.checkout_started": _l("%(actor)s started paying for the %(plan)s plan"),
    "candidate.created": _l("%(actor)s registered %(object)s in the registry"),
    "candidate.updated": _l("%(actor)s changed the registration of %(object)s"),
    "candidate.consent_recorded": _l("%(actor)s recorded the consent of %(object)s"),
    "candidate.consent_withdrawn": _l("%(actor)s recorded that %(object)s withdrew their consent"),
    "candidate.training_added": _l("%(actor)s added a training of %(object)s"),
    "candidate.training_removed": _l("%(actor)s removed a training of %(object)s"),
    "referral.proposed": _l("%(actor)s proposed a candidate for %(object)s"),
    "referral.removed": _l("%(actor)s removed a candidate from the shortlist for %(object)s"),
    "referral.withdrawn": _l("%(actor)s withdrew a candidate proposed for %(object)s"),
    "referral.introduced": _l("%(actor)s introduced a candidate for %(object)s"),
    "referral.interviewed": _l("%(actor)s recorded an interview for %(object)s"),
    "referral.hired": _l("%(actor)s hired a candidate for %(object)s"),
    "referral.not_hired": _l("%(actor)s did not hire a candidate for %(object)s (%(reason)s)"),
    "referral_request.created": _l(
        "%(actor)s asked a ULD for candidates for %(object)s (positions: %(positions)s)"
    ),
    "referral_request.closed": _l("%(actor)s closed the request for candidates for %(object)s"),
    "referral_request.filled": _l("%(actor)s filled every position of %(object)s"),
    "referral_request.shortlist_sent": _l(
        "%(actor)s sent a shortlist for %(object)s (candidates: %(count)s)"
    ),
    "referral_request.shortlist_seen": _l("%(actor)s opened the shortlist for %(object)s"),
    "uld.created": _l("%(actor)s added the disability service unit %(object)s"),
    "uld.updated": _l("%(actor)s changed the disability service unit %(object)s"),
    "uld.officer_set": _l("%(actor)s made %(object)s an officer of a disability service unit"),
}
#: Events with no acting person: jobs, payment webhooks, the demo loader.
SYSTEM_SENTENCES: dict[str, LazyString] = {
    "user.password_reset_requested": _l("A password reset link was sent to %(object)s"),
    "employee.disability_details_purged": _l(
        "The disability details of %(object)s were deleted, as the retention rules require"
    ),
    "inspection.case_deadline_passed": _l("The deadline of the inspection case passed"),
    "import.upload_expired": _l(
        "An uploaded file nobody confirmed within a day was deleted, and its import discarded"
    ),
    "billing.checkout_completed": _l("The payment for the %(plan)s plan was completed"),
    "billing.subscription_changed": _l("The subscription is now: %(status)s"),
    "billing.payment_failed": _l("A payment failed"),
    "billing.payment_recovered": _l("A failed payment was paid after all"),
    "candidate.synced": _l("%(object)s was updated from the ULD's own registry"),
    "candidate.purged": _l("The data of a candidate who withdrew consent were deleted"),
    "referral_request.flagged_unanswered": _l(
        "The request for candidates for %(object)s was flagged: no ULD answered in time"
    ),
    "keys.rotated": _l("The encryption keys were rotated"),
    "demo.organization_created": _l("Demo data: %(object)s was created"),
    "demo.user_created": _l("Demo data: the account of %(object)s was created"),
}
#: An action without a sentence of its own: who, and which part of the work.
FALLBACK = _l("%(actor)s — %(area)s")
#: What an establishment's changed fields are called.
ESTABLISHMENT_FIELDS = {
    "name": _l("Name"),
    "regency_code": _l("Regency or city"),
    "address": _l("Address"),
    "wlkp_number": _l("WLKP number"),
    "wlkp_registered_on": _l("WLKP registration date"),
}


@dataclass(frozen=True)
class Facts:
    """What the sentence may name: the actor's and the object's words (already resolved within
    the reader's reach), a region's name by code, and the event's stored data."""

    actor: str
    target: str
    data: Mapping[str, Any]
    region_names: Mapping[str, str]


class _Params(dict[str, object]):
    """A sentence's values; one the data lacks reads as a dash rather than failing."""

    def __missing__(self, key: str) -> str:
        return "—"


def _month(value: object) -> str:
    """ "2026-11" as "November 2026" in the reader's language."""
    try:
        year, month = str(value).split("-")[:2]
        return format_date(date(int(year), int(month), 1), "MMMM y")
    except ValueError:
        return str(value)


def _day(value: object) -> str:
    try:
        return format_date(date.fromisoformat(str(value)), "d MMM y")
    except ValueError:
        return str(value)


def _due_month(value: object) -> str:
    """A due month stored as its number (12) as its name ("December")."""
    try:
        return format_date(date(2000, int(str(value)), 1), "MMMM")
    except ValueError:
        return str(value)


def _params(facts: Facts) -> _Params:
    data = facts.data
    params = _Params(actor=facts.actor, object=facts.target, employee=facts.target)
    keys = ("period", "version", "email", "name", "positions", "plan", "created", "updated")
    for key in (*keys, "description"):
        if data.get(key) is not None:
            params[key] = data[key]
    count = next((data[k] for k in ("people", "referrals") if data.get(k) is not None), None)
    if count is not None:
        params["count"] = count
    if "month" in data:
        params["month"] = _month(data["month"])
    if "day" in data:
        params["day"] = _day(data["day"])
    if "old" in data and "new" in data:
        params["old"], params["new"] = _due_month(data["old"]), _due_month(data["new"])
    if data.get("role") in ROLE_LABELS:
        params["role"] = ROLE_LABELS[data["role"]]
    if data.get("method") in METHOD_LABELS:
        params["method"] = METHOD_LABELS[data["method"]]
    if data.get("reason") in NOT_HIRED_LABELS:
        params["reason"] = NOT_HIRED_LABELS[data["reason"]]
    if data.get("status") in SUBSCRIPTION_STATUS_LABELS:
        params["status"] = SUBSCRIPTION_STATUS_LABELS[data["status"]]
    if "province" in data:
        params["region"] = facts.region_names.get(str(data["province"]), "—")
    if "scope" in data:
        scope = str(data["scope"])
        params["region"] = (
            _("the whole country") if scope == "national" else facts.region_names.get(scope, "—")
        )
    return params


def _change(before: object, after: object) -> str:
    return f"{'—' if before in (None, '') else before} → {'—' if after in (None, '') else after}"


def details(action: str, facts: Facts) -> tuple[str, ...]:
    """What changed, where the event holds the values before and after."""
    data = facts.data
    if action == "workforce.figures_recorded":
        changes = data.get("changes") or {}
        return tuple(
            f"{label(kind, 'worker_group') if kind in WORKER_GROUP_LABELS else _('Workers')}: "
            f"{_change(*pair)}"
            for kind, pair in changes.items()
            if isinstance(pair, list | tuple) and len(pair) == 2
        )
    if action == "establishment.updated":
        lines = []
        for name, pair in (data.get("changes") or {}).items():
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                continue
            before, after = pair
            if name == "regency_code":
                before = facts.region_names.get(str(before), before)
                after = facts.region_names.get(str(after), after)
            field = ESTABLISHMENT_FIELDS.get(name, _("Other details"))
            lines.append(f"{field}: {_change(before, after)}")
        return tuple(lines)
    if action == "declaration.submitted" and data.get("status"):
        status = label(data["status"], "quota_status")
        return (
            _(
                "Result: %(status)s; people required %(required)s, counted %(counted)s, "
                "gap %(gap)s",
                status=status,
                required=data.get("required", "—"),
                counted=data.get("counted", "—"),
                gap=data.get("gap", "—"),
            ),
        )
    if action == "inspection.evidence_pack_exported":
        return (
            _("With the employees' names")
            if data.get("names_included")
            else _("Employees under pseudonyms"),
        )
    return ()


def sentence(action: str, facts: Facts, *, by_person: bool) -> str:
    """The event as one sentence in the reader's language."""
    params = _params(facts)
    template = (SENTENCES if by_person else SYSTEM_SENTENCES).get(action)
    if template is None:
        template = SENTENCES.get(action) or SYSTEM_SENTENCES.get(action)
    if template is None:
        params["area"] = AREA_LABELS[area_of(action)]
        return _through_token(str(FALLBACK) % params, facts)
    return _through_token(str(template) % params, facts)


def _through_token(text: str, facts: Facts) -> str:
    """A change made through the API names the token it came by (its owner's name for it)."""
    token = facts.data.get("api_token")
    if not token or not isinstance(token, str):
        return text
    return _("%(sentence)s (through the API token “%(token)s”)", sentence=text, token=token)
