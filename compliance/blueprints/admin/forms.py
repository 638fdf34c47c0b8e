"""Forms of the `admin` blueprint."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)

from compliance.blueprints.forms import email_address, max_length, required
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
