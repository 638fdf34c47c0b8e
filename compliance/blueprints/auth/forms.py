"""Forms of the `auth` blueprint."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from compliance.blueprints.forms import confirm_password_field, new_password_field
from compliance.models.organizations import Sector

SECTOR_LABELS = {
    Sector.CENTRAL_GOVERNMENT: _l("Central government agency"),
    Sector.REGIONAL_GOVERNMENT: _l("Regional government agency"),
    Sector.SOE: _l("State-owned enterprise (BUMN)"),
    Sector.REGIONAL_SOE: _l("Regional-owned enterprise (BUMD)"),
    Sector.PRIVATE: _l("Private company"),
}


def _email_field(label: object = None) -> EmailField:
    return EmailField(
        label or _l("E-mail address"),
        validators=[
            DataRequired(),
            Email(message=_l("Enter a valid e-mail address.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )


class SignUpForm(FlaskForm):
    organization_name = StringField(
        _l("Organisation name"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "organization"},
    )
    nib = StringField(
        _l("NIB (Nomor Induk Berusaha)"),
        validators=[DataRequired()],
        description=_l("13 digits, from OSS."),
        render_kw={"inputmode": "numeric"},
    )
    npwp = StringField(
        _l("NPWP"),
        validators=[DataRequired()],
        description=_l("15 or 16 digits; dots and dashes are allowed."),
        render_kw={"inputmode": "numeric"},
    )
    sector = SelectField(
        _l("Sector"),
        choices=[
            SelectChoice("", _l("Choose…")),
            *[SelectChoice(s.value, label) for s, label in SECTOR_LABELS.items()],
        ],
        validators=[DataRequired(message=_l("Choose a sector."))],
        description=_l("Public bodies and BUMN/BUMD owe 2%, private companies 1%."),
    )
    regency = SelectField(
        _l("Head office regency or city"),
        validators=[DataRequired(message=_l("Choose a regency or city."))],
        validate_choice=False,  # the service checks the code against the reference table
    )
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(), Length(max=200)],
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
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field()
    password_confirm = confirm_password_field()


class AcceptInvitationForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    password = new_password_field()
    password_confirm = confirm_password_field()
