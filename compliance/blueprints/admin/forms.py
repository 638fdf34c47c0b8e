"""Forms of the `admin` blueprint."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, Field, SelectChoice, StringField
from wtforms.validators import Optional, ValidationError

from compliance.blueprints.forms import (
    SelectField,
    SelectMultipleField,
    email_address,
    max_length,
    required,
)
from compliance.blueprints.history import DATE_FORMAT_MESSAGE
from compliance.labels import ROLE_LABELS
from compliance.models.accounts import Role

REGIONS_HELP = _l(
    "Inspectors: one or more provinces. Registry officers: one or more regencies or cities. "
    "Hold Ctrl (or Cmd) to choose several."
)


# The fields both staff forms ask, made by functions so each form's fields keep page order.


def _provinces() -> SelectMultipleField:
    return SelectMultipleField(_l("Provinces (inspectors)"), validate_choice=False)


def _regencies() -> SelectMultipleField:
    return SelectMultipleField(
        _l("Regencies and cities (registry officers)"),
        validate_choice=False,
        description=REGIONS_HELP,
    )


def _nip() -> StringField:
    """The NIP an inspector's letters are signed with (`services.staff.parse_nip` checks it)."""
    return StringField(
        _l("NIP"),
        validators=[max_length(40)],
        description=_l(
            "Civil servants' 18-digit staff number. An inspector's letters are signed with it."
        ),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
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
    provinces = _provinces()
    regencies = _regencies()
    nip = _nip()


class StaffUpdateForm(FlaskForm):
    provinces = _provinces()
    regencies = _regencies()
    nip = _nip()
    is_active = BooleanField(_l("Account is active"))


class EndSessionsForm(FlaskForm):
    """One button (and its CSRF token): sign a user out everywhere."""


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


class SendAgainForm(FlaskForm):
    """One button (and its CSRF token): queue an undelivered e-mail again."""
