"""Forms of the referral pages: the company's request, and the outcome of a referral."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField

from compliance.blueprints.forms import max_length, required
from compliance.blueprints.registry.forms import checkboxes, choices, select
from compliance.blueprints.roster.forms import EMPLOYMENT_TYPE_LABELS, METHOD_LABELS, DateInput
from compliance.services.registry.vocabulary import (
    ACCOMMODATIONS,
    EDUCATION_LABELS,
    HOURS_LABELS,
    NOT_HIRED_LABELS,
    SKILLS,
)


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
