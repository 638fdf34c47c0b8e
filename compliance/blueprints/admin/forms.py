"""Forms of the `admin` blueprint."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import Optional, ValidationError

from compliance.blueprints.forms import email_address, max_length, required
from compliance.blueprints.organizations.history import ACTION_LABELS
from compliance.models.accounts import Role

ROLE_LABELS = {
    Role.HR_MANAGER: _l("HR manager"),
    Role.INSPECTOR: _l("Labour inspector"),
    Role.REGISTRY_OFFICER: _l("ULD registry officer"),
    Role.ADMIN: _l("Administrator"),
}

REGIONS_HELP = _l(
    "Inspectors: one or more provinces. Registry officers: one or more regencies or cities. "
    "Hold Ctrl (or Cmd) to choose several."
)


class StaffForm(FlaskForm):
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    email = EmailField(
        _l("E-mail address"),
        validators=[required(), email_address()],
    )
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice(r.value, ROLE_LABELS[r])
            for r in (Role.INSPECTOR, Role.REGISTRY_OFFICER, Role.ADMIN)
        ],
    )
    provinces = SelectMultipleField(_l("Provinces (inspectors)"), validate_choice=False)
    regencies = SelectMultipleField(
        _l("Regencies and cities (registry officers)"),
        validate_choice=False,
        description=REGIONS_HELP,
    )


class StaffUpdateForm(FlaskForm):
    provinces = SelectMultipleField(_l("Provinces (inspectors)"), validate_choice=False)
    regencies = SelectMultipleField(
        _l("Regencies and cities (registry officers)"),
        validate_choice=False,
        description=REGIONS_HELP,
    )
    is_active = BooleanField(_l("Account is active"))


class EndSessionsForm(FlaskForm):
    """One button (and its CSRF token): sign a user out everywhere."""


#: Plain words for the audit actions an organisation's own history does not show; an action
#: missing from both is shown as its code.
AUDIT_ACTION_LABELS = {
    **ACTION_LABELS,
    "user.created": _l("Staff account created"),
    "declaration.opened": _l("Declaration started"),
    "declaration.saved": _l("Declaration saved"),
    "declaration.recomputed": _l("Declaration recalculated"),
    "declaration.submitted": _l("Declaration submitted"),
    "declaration.corrected": _l("Declaration corrected"),
    "declaration.receipt_downloaded": _l("Declaration receipt downloaded"),
    "organization.due_month_changed": _l("Reporting month changed"),
    "billing.checkout_started": _l("Payment started"),
    "billing.checkout_completed": _l("Payment completed"),
    "billing.subscription_changed": _l("Subscription changed"),
    "billing.payment_failed": _l("Payment failed"),
    "billing.payment_recovered": _l("Payment recovered"),
    "inspection.names_shown": _l("Inspector viewed employee names"),
    "inspection.summary_exported": _l("Inspection summary exported"),
    "inspection.evidence_pack_exported": _l("Evidence pack exported"),
    "inspection.case_response": _l("Response to an inspection case"),
    "inspection.holiday_added": _l("Holiday added"),
    "inspection.holiday_removed": _l("Holiday removed"),
    "candidate.created": _l("Candidate registered"),
    "candidate.updated": _l("Candidate changed"),
    "candidate.consent_recorded": _l("Candidate consent recorded"),
    "candidate.consent_withdrawn": _l("Candidate consent withdrawn"),
    "candidate.purged": _l("Candidate data deleted"),
    "referral.proposed": _l("Candidate proposed"),
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
    "referral.removed": _l("Candidate removed from a shortlist"),
    "candidate.synced": _l("Candidate synchronised"),
    "candidate.training_added": _l("Candidate training added"),
    "candidate.training_removed": _l("Candidate training removed"),
    "uld.created": _l("Disability service unit (ULD) added"),
    "uld.updated": _l("Disability service unit (ULD) changed"),
    "uld.officer_set": _l("ULD officer assigned"),
    "keys.rotated": _l("Encryption keys rotated"),
}

#: How a date filter reads when it is not a date.
DATE_FORMAT_MESSAGE = _l("Enter a date as YYYY-MM-DD, for example 2024-03-31.")


def _known_choice(form: FlaskForm, field: Field) -> None:
    """WTForms' own check speaks English only."""
    if field.data not in {choice.value for choice in field.choices or []}:
        raise ValidationError(_l("Choose one of the listed actions."))


class AuditSearchForm(FlaskForm):
    """The audit page's filters; sent by GET (bookmarkable), so no CSRF token. The view fills
    the action choices from the trail."""

    class Meta:
        csrf = False

    organization = StringField(_l("Organisation"), validators=[max_length(200)])
    actor = StringField(
        _l("Who acted"),
        validators=[max_length(254)],
        description=_l("Part of a name or an e-mail address."),
    )
    action = SelectField(
        _l("Action"), choices=[], default="", validate_choice=False, validators=[_known_choice]
    )
    date_from = DateField(
        _l("From (date)"), validators=[Optional()], invalid_value_message=DATE_FORMAT_MESSAGE
    )
    date_to = DateField(
        _l("To (date, included)"),
        validators=[Optional()],
        invalid_value_message=DATE_FORMAT_MESSAGE,
    )


class VerifyTrailForm(FlaskForm):
    """One button (and its CSRF token): check the whole chain and its checkpoints."""
