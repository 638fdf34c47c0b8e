"""Forms of the `auth` blueprint."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, StringField

from compliance.blueprints.forms import (
    SelectField,
    confirm_password_field,
    email_address,
    max_length,
    new_password_field,
    required,
)
from compliance.labels import SECTOR_LABELS


def _email_field(label: object = None) -> EmailField:
    return EmailField(
        label or _l("E-mail address"),
        validators=[
            required(),
            email_address(),
            max_length(254),
        ],
        render_kw={"autocomplete": "email"},
    )


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"), validators=[required()], render_kw={"autocomplete": "current-password"}
    )


class SignUpForm(FlaskForm):
    organization_name = StringField(
        _l("Organisation name"),
        validators=[required(), max_length(200)],
        render_kw={"autocomplete": "organization"},
    )
    nib = StringField(
        _l("NIB (Nomor Induk Berusaha)"),
        validators=[required()],
        description=_l("13 digits, from OSS."),
        render_kw={"inputmode": "numeric"},
    )
    npwp = StringField(
        _l("NPWP"),
        validators=[required()],
        description=_l("15 or 16 digits; dots and dashes are allowed."),
        render_kw={"inputmode": "numeric"},
    )
    sector = SelectField(
        _l("Sector"),
        choices=[
            SelectChoice("", _l("Choose…")),
            *[SelectChoice(s.value, label) for s, label in SECTOR_LABELS.items()],
        ],
        validators=[required(_l("Choose a sector."))],
        description=_l(
            "Government bodies, BUMN and BUMD must employ at least 2% people with disabilities, "
            "private companies at least 1%."
        ),
    )
    regency = SelectField(
        _l("Head office regency or city"),
        validators=[required(_l("Choose a regency or city."))],
        validate_choice=False,  # the service checks the code against the reference table
    )
    name = StringField(
        _l("Your name"),
        validators=[required(), max_length(200)],
        render_kw={"autocomplete": "name"},
    )
    email = _email_field(_l("Your work e-mail address"))
    password = new_password_field()
    password_confirm = confirm_password_field()


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password = new_password_field()
    password_confirm = confirm_password_field()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[required()],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field()
    password_confirm = confirm_password_field()


class AcceptInvitationForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        validators=[required(), max_length(200)],
        render_kw={"autocomplete": "name"},
    )
    password = new_password_field()
    password_confirm = confirm_password_field()


class ConfirmSignUpForm(FlaskForm):
    """Only the CSRF token: the sign-up itself travels in the link."""


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        description=_l("What will use it, for example “Payroll sync”."),
        validators=[required(), max_length(80)],
    )
    lifetime_days = SelectField(
        _l("Valid for"),
        choices=[
            SelectChoice("30", _l("30 days")),
            SelectChoice("90", _l("90 days")),
            SelectChoice("365", _l("one year")),
        ],
        default="90",
    )
    can_write = BooleanField(
        _l("May also change data (figures, roster, declarations), not only read it"),
    )


class RevokeApiTokenForm(FlaskForm):
    """Only the CSRF token: the token travels in the URL."""
