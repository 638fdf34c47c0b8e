"""Forms of the `registry` blueprint: ULDs, candidates and their consent, trainings; the company's
referral request and the outcome of a referral.

Choices are checked by the services (`validate_choice=False`), so a form and an import answer
with the same translated message, tied to the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectChoice, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from compliance.blueprints.forms import SelectField, SelectMultipleField, max_length, required
from compliance.blueprints.roster.forms import DateInput
from compliance.labels import (
    ACCOMMODATIONS,
    AVAILABILITY_LABELS,
    CANDIDATE_GIVER_LABELS,
    CANDIDATE_SORT_LABELS,
    CANDIDATE_STATUS_LABELS,
    CATEGORY_LABELS,
    EDUCATION_LABELS,
    EMPLOYMENT_TYPE_LABELS,
    HOURS_LABELS,
    METHOD_LABELS,
    NOT_HIRED_LABELS,
    SKILLS,
)


def choices(labels: Mapping[Any, Any], empty: Any = None) -> list[SelectChoice]:
    first = [SelectChoice("", empty)] if empty is not None else []
    return first + [SelectChoice(getattr(k, "value", k), label) for k, label in labels.items()]


def checkboxes(label: Any, labels: Mapping[Any, Any], **kwargs: Any) -> SelectMultipleField:
    return SelectMultipleField(
        label,
        choices=choices(labels),
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        **kwargs,
    )


def select(label: Any, labels: Mapping[Any, Any], **kwargs: Any) -> SelectField:
    return SelectField(
        label,
        choices=choices(labels, _l("Choose…")),
        validators=[required()],
        validate_choice=False,
        **kwargs,
    )


class UldForm(FlaskForm):
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    province_code = SelectField(_l("Province"), validators=[required()], validate_choice=False)
    regency_code = SelectField(
        _l("Regency or city"),
        validate_choice=False,
        description=_l("Leave empty for a provincial ULD."),
    )
    email = StringField(_l("E-mail address"), validators=[max_length(254)])
    phone = StringField(_l("Phone"), validators=[max_length(50)])
    address = TextAreaField(_l("Address"), validators=[max_length(500)])


class OfficerForm(FlaskForm):
    officer_id = SelectField(_l("Registry officer"), validators=[required()], validate_choice=False)


class CandidateForm(FlaskForm):
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    email = StringField(_l("E-mail address"), validators=[max_length(254)])
    phone = StringField(
        _l("Phone"), validators=[max_length(50)], description=_l("An e-mail address or a phone.")
    )
    regency_code = SelectField(
        _l("Regency or city of residence"), validators=[required()], validate_choice=False
    )
    categories = checkboxes(
        _l("Category of disability"),
        CATEGORY_LABELS,
        description=_l("Record the category, never a diagnosis."),
    )
    education = select(_l("Highest education"), EDUCATION_LABELS)
    skills = checkboxes(_l("Skills"), SKILLS)
    skills_other = StringField(_l("Other skills"), validators=[max_length(500)])
    experience = TextAreaField(_l("Work experience"), validators=[max_length(2000)])
    preferred_regencies = SelectMultipleField(
        _l("Other regencies or cities where they would work"), validate_choice=False
    )
    is_willing_to_relocate = BooleanField(_l("Willing to move for work"))
    hours = select(_l("Working hours"), HOURS_LABELS)
    accommodation_needs = checkboxes(_l("Accommodation needs"), ACCOMMODATIONS)
    accommodation_note = TextAreaField(
        _l("More about accommodation needs"), validators=[max_length(1000)]
    )
    availability = select(_l("Availability"), AVAILABILITY_LABELS)
    available_from = DateInput(_l("Available from"), description=_l("Leave empty if now."))


class CandidateConsentForm(FlaskForm):
    given_by = select(_l("Consent given by"), CANDIDATE_GIVER_LABELS)
    guardian_name = StringField(
        _l("Guardian's name"),
        validators=[max_length(200)],
        description=_l("Only when the guardian gave the consent."),
    )
    method = select(_l("How the consent was given"), METHOD_LABELS)
    given_on = DateInput(_l("Date the consent was given"), validators=[required()])
    may_share_category = BooleanField(
        _l("Companies may see the category of disability before an introduction")
    )
    may_share_accommodation = BooleanField(
        _l("Companies may see the accommodation needs before an introduction")
    )


class TrainingForm(FlaskForm):
    title = StringField(_l("Training or certificate"), validators=[required(), max_length(200)])
    provider = StringField(
        _l("Given by"),
        validators=[required(), max_length(200)],
        description=_l(
            "For example a BLK of Kemnaker, a Kemensos programme, an Inclusive Job Centre."
        ),
    )
    skill_code = SelectField(
        _l("Skill it trains"), choices=choices(SKILLS, _l("None of these")), validate_choice=False
    )
    completed_on = DateInput(_l("Completed on"), validators=[required()])
    has_certificate = BooleanField(_l("With a certificate"))


class UploadForm(FlaskForm):
    file = FileField(
        _l("File (CSV or XLSX)"),
        validators=[FileRequired(message=_l("Choose a file to upload."))],
        description=_l("Every row is checked; nothing is saved unless the whole file is right."),
        render_kw={"accept": ".csv,.xlsx"},
    )


class ConfirmForm(FlaskForm):
    """An empty form: a button that posts with a CSRF token."""


class RequestForm(FlaskForm):
    establishment_id = SelectField(
        _l("Establishment"), validators=[required()], validate_choice=False
    )
    title = StringField(_l("Job title"), validators=[required(), max_length(200)])
    tasks = TextAreaField(_l("Tasks"), validators=[required(), max_length(4000)])
    requirements = TextAreaField(_l("Requirements"), validators=[max_length(4000)])
    hours = select(_l("Working hours"), HOURS_LABELS)
    min_education = select(_l("Education needed"), EDUCATION_LABELS)
    skill_codes = checkboxes(_l("Skills needed"), SKILLS)
    accommodations_offered = checkboxes(
        _l("Accommodations the workplace offers"),
        ACCOMMODATIONS,
        description=_l("Candidates whose needs you meet rank higher."),
    )
    positions = IntegerField(
        _l("Number of positions"),
        validators=[required()],
        default=1,
        render_kw={"inputmode": "numeric"},
    )
    declaration_id = SelectField(_l("Declaration whose gap this addresses"), validate_choice=False)


class HireForm(FlaskForm):
    employee_number = StringField(_l("Employee number"), validators=[required(), max_length(50)])
    employment_type = SelectField(
        _l("Employment type"),
        choices=choices(EMPLOYMENT_TYPE_LABELS, _l("Choose…")),
        validators=[required()],
        validate_choice=False,
    )
    start_date = DateInput(_l("Start date"), validators=[required()])
    consent_method = select(_l("How the employee consented to the roster"), METHOD_LABELS)
    consent_given_on = DateInput(_l("Date of that consent"), validators=[required()])


class NotHiredForm(FlaskForm):
    reason = select(_l("Reason"), NOT_HIRED_LABELS)
    note = TextAreaField(_l("More about the reason"), validators=[max_length(1000)])


class CandidateFilterForm(FlaskForm):
    """The search above the candidates list; sent by GET, so no CSRF token. The service checks
    the values (`parse_candidate_filters`) and its errors are shown on these fields."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Candidate number"),
        render_kw={"type": "search", "inputmode": "numeric", "maxlength": 8},
        description=_l("Names are stored encrypted and cannot be searched."),
    )
    status = SelectField(
        _l("Status"), choices=choices(CANDIDATE_STATUS_LABELS, _l("All")), validate_choice=False
    )
    availability = SelectField(
        _l("Availability"), choices=choices(AVAILABILITY_LABELS, _l("All")), validate_choice=False
    )
    regency = SelectField(_l("Regency or city"), validate_choice=False)
    skill = SelectField(_l("Skill"), choices=choices(SKILLS, _l("All")), validate_choice=False)
    sort = SelectField(_l("Sort by"), choices=choices(CANDIDATE_SORT_LABELS), validate_choice=False)
