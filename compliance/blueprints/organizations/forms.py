"""Forms of the `organizations` blueprint."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    Field,
    Form,
    IntegerField,
    Label,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional, StopValidation

from compliance.blueprints.forms import SelectField, email_address, max_length, required
from compliance.labels import WORKER_GROUP_LABELS
from compliance.quota import EmploymentType
from compliance.services.workforce import MAX_HEADCOUNT

#: The headcount rows' words (`compliance.labels`), by employment type.
EMPLOYMENT_TYPE_LABELS = WORKER_GROUP_LABELS


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
            NumberRange(
                max=MAX_HEADCOUNT, message=_l("Enter at most 10,000,000 people: check the number.")
            ),
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


# --- the month grid and the year view (views in `figures.py`) ---------------------------------


class SheetForm(FlaskForm):
    """A sheet's own form: the CSRF token; the buttons say `action=save` or `action=copy`.

    The rows are separate forms (`sheet_row_form`), one per establishment or month, named by a
    prefix the server chooses (`e12-permanent`, `m2026-03-permanent`), rather than a FieldList:
    a blank row is skipped instead of refused, so rows validate one by one; and the rows come
    from the organisation's own establishments, never from indices or ids in the post, so a
    post cannot aim a row at another establishment (a shifted index, or another tenant's id).
    """


class MonthChoiceForm(FlaskForm):
    """The month grid's picker: ended months in a select; sent by GET, so no CSRF token."""

    class Meta:
        csrf = False

    month = SelectField(_l("Month"), validate_choice=False)  # the service judges the month


class SheetRowForm(Form):
    """One row of a sheet: a headcount field per employment type, labelled with its row."""

    def is_blank(self) -> bool:
        """Nothing typed in any cell (a blank row with nothing recorded is left alone)."""
        return all(not (field.raw_data and str(field.raw_data[0]).strip()) for field in self)


@cache
def _row_class(types: tuple[EmploymentType, ...]) -> type[SheetRowForm]:
    fields = {kind.value: headcount_field(str(EMPLOYMENT_TYPE_LABELS[kind])) for kind in types}
    return type("SheetRow", (SheetRowForm,), fields)


def sheet_row_form(
    types: tuple[EmploymentType, ...],
    prefix: str,
    row_name: str,
    formdata: object = None,
    data: Mapping[str, int] | None = None,
) -> SheetRowForm:
    """A row whose fields are named `<prefix>-<type code>`; each cell's label names its column
    and its row ("Permanent workers (PKWTT), Gudang Bantul"), since the table shows only one."""
    form = _row_class(types)(formdata=formdata, data=data, prefix=prefix)
    for kind in types:
        field = form[kind.value]
        text = _("%(column)s, %(row)s", column=EMPLOYMENT_TYPE_LABELS[kind], row=row_name)
        field.label = Label(field.id, text)
    return form
