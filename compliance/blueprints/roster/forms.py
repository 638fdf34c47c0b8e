"""Forms and labels of the `roster` blueprint.

Choices are not validated by WTForms (`validate_choice=False`): the services check them and
answer with a translated message tied to the field, the same for a form and for an import.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, StringField, TextAreaField
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from compliance.blueprints.forms import SelectField, SelectMultipleField, max_length, required
from compliance.labels import (
    CATEGORY_LABELS,
    EMPLOYMENT_TYPE_LABELS,
    EVIDENCE_LABELS,
    GIVER_LABELS,
    METHOD_LABELS,
    ROSTER_SORT_LABELS,
    ROSTER_TEMPLATE_LABELS,
)
from compliance.services.roster import MAX_QUERY

#: The roster templates' label tables (`labels.categories[c]` ...), from `compliance.labels`.
LABELS = ROSTER_TEMPLATE_LABELS


def _choices(labels: Mapping[Any, Any], empty: Any = None) -> list[SelectChoice]:
    first = [SelectChoice("", empty)] if empty is not None else []
    return first + [SelectChoice(str(key), label) for key, label in labels.items()]


class DateInput(DateField):
    """An ISO date (what `<input type=date>` sends). Empty is no error here, so `required()`
    alone speaks for a missing date; a malformed one gets a translated message."""

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if raw:
            try:
                self.data = date.fromisoformat(raw)
            except ValueError as exc:
                raise ValueError(_("Enter a date like 2026-01-31.")) from exc

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()  # keep the "malformed" message, skip "required"


class EmployeeForm(FlaskForm):
    employee_number = StringField(_l("Employee number"), validators=[required(), max_length(50)])
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    establishment_id = SelectField(
        _l("Establishment"), validators=[required()], validate_choice=False
    )
    employment_type = SelectField(
        _l("Employment type"),
        choices=_choices(EMPLOYMENT_TYPE_LABELS, _l("Choose…")),
        validators=[required()],
        validate_choice=False,
    )
    start_date = DateInput(_l("Start date"), validators=[required()])
    end_date = DateInput(_l("End date"), description=_l("Leave empty while employed."))


class DisabilityForm(FlaskForm):
    categories = SelectMultipleField(
        _l("Category of disability"),
        choices=_choices(CATEGORY_LABELS),
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description=_l(
            "Choose every category that applies. Record the category, never a diagnosis."
        ),
    )
    accommodation = TextAreaField(
        _l("Accommodation provided"),
        validators=[max_length(1000)],
        description=_l("For example: a screen reader, a ramp, flexible working hours."),
    )
    evidence_type = SelectField(
        _l("Type of evidence"),
        choices=_choices(EVIDENCE_LABELS, _l("No evidence yet")),
        validate_choice=False,
    )
    evidence_number = StringField(
        _l("Evidence number"),
        validators=[max_length(100)],
        description=_l("For example the number on the disability card (KPD)."),
    )
    evidence_date = DateInput(_l("Date of the evidence"))
    evidence_expires_on = DateInput(
        _l("Evidence valid until"), description=_l("Leave empty if it does not expire.")
    )


class ConsentForm(FlaskForm):
    given_by = SelectField(
        _l("Consent given by"),
        choices=_choices(GIVER_LABELS),
        validators=[required()],
        validate_choice=False,
    )
    guardian_name = StringField(
        _l("Guardian's name"),
        validators=[max_length(200)],
        description=_l("Only when the guardian gave the consent."),
    )
    method = SelectField(
        _l("How the consent was given"),
        choices=_choices(METHOD_LABELS, _l("Choose…")),
        validators=[required()],
        validate_choice=False,
    )
    given_on = DateInput(_l("Date the consent was given"), validators=[required()])


class RosterFilterForm(FlaskForm):
    """The search above the roster list; sent by GET, so no CSRF token. The service checks
    the values (`parse_roster_filters`) and its errors are shown on these fields."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Employee number or name"),
        render_kw={"type": "search", "maxlength": MAX_QUERY},
    )
    establishment = SelectField(_l("Establishment"), validate_choice=False)
    sort = SelectField(_l("Sort by"), choices=_choices(ROSTER_SORT_LABELS), validate_choice=False)


class ConfirmForm(FlaskForm):
    """An empty form: a button that posts with a CSRF token."""
