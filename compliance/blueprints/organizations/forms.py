"""Forms of the `organizations` blueprint."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    Field,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional, StopValidation

from compliance.blueprints.forms import email_address, max_length, required
from compliance.quota import EmploymentType

#: Plain words first, the legal term in brackets: HR staff know "PKWTT", others do not.
EMPLOYMENT_TYPE_LABELS = {
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


class DueMonthForm(FlaskForm):
    due_month = SelectField(
        _l("Month your WLKP report is due"),
        validate_choice=False,  # the service answers a wrong value with a translated message
        description=_l(
            "Each yearly declaration is due at the end of this month in the following year. "
            "Periods with nothing submitted yet move with it."
        ),
    )


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Colleague's e-mail address"),
        validators=[
            required(),
            email_address(),
            max_length(254),
        ],
        render_kw={"autocomplete": "off"},
    )


class ConfirmForm(FlaskForm):
    """An empty form: a button that posts with a CSRF token."""


class EstablishmentForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[required(), max_length(200)],
        description=_l("For example: Pabrik Cikarang, Cabang Surabaya."),
    )
    regency_code = SelectField(
        _l("Regency or city"),
        validators=[required(_l("Choose a regency or city."))],
        validate_choice=False,  # the service checks the code against the reference table
    )
    address = TextAreaField(
        _l("Address"), validators=[Optional(), max_length(500)], render_kw={"rows": 3}
    )
    wlkp_number = StringField(
        _l("WLKP registration number"),
        validators=[Optional(), max_length(50)],
        description=_l(
            "The number of this workplace's compulsory manpower report (Wajib Lapor "
            "Ketenagakerjaan). Each branch has its own. Leave empty if you do not have it yet."
        ),
    )
    wlkp_registered_on = DateField(
        _l("WLKP registration date"),
        validators=[Optional()],
        invalid_value_message=_l("Enter a date as YYYY-MM-DD, for example 2024-03-31."),
    )


class MonthForm(FlaskForm):
    """The month picker above the figures form; sent by GET, so no CSRF token."""

    class Meta:
        csrf = False

    month = StringField(
        _l("Month"),
        validators=[required()],
        description=_l("Year and month, for example 2025-01."),
        render_kw={"type": "month", "placeholder": "YYYY-MM"},
    )


def _stop_if_unreadable(form: FlaskForm, field: Field) -> None:
    """Text that is no number already has its message; "cannot be negative" would only confuse."""
    if field.process_errors:
        raise StopValidation()


def headcount_field(label: str) -> Field:
    return IntegerField(
        label,
        validators=[
            InputRequired(_l("Enter the number of people (0 if there are none).")),
            _stop_if_unreadable,
            NumberRange(min=0, message=_l("The number of people cannot be negative.")),
        ],
        invalid_value_message=_l("Enter a whole number of people, without dots or commas."),
        render_kw={"min": 0, "inputmode": "numeric"},
    )


class FiguresForm(FlaskForm):
    """Base of the monthly figures form; `figures_form` adds one field per employment type.

    The month travels in the action URL (`?month=`), like on the GET, so the page has one
    month field only: the picker's.
    """


def figures_form(types: tuple[EmploymentType, ...], **kwargs: object) -> FiguresForm:
    """A figures form with a headcount field (named by its code) for each of `types`."""

    class _Figures(FiguresForm):
        pass

    for kind in types:
        setattr(_Figures, kind.value, headcount_field(str(EMPLOYMENT_TYPE_LABELS[kind])))
    return _Figures(**kwargs)
