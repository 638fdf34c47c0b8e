"""Forms of the `declarations` blueprint (their labels are in `compliance.labels`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import InputRequired, NumberRange

from compliance.blueprints.forms import max_length, required
from compliance.services.declarations.filing import MAX_TEXT


class OpenForm(FlaskForm):
    year = IntegerField(
        _l("Year"),
        validators=[
            InputRequired(message=_l("Enter the year, for example 2025.")),
            NumberRange(min=2016, max=9999, message=_l("Enter a year from 2016.")),
        ],
    )


class DraftForm(FlaskForm):
    """The note and the revision the user saw; the pressed button says what to do."""

    note = TextAreaField(
        _l("Note for the inspector"),
        validators=[max_length(MAX_TEXT)],
        description=_l("Optional. Explain anything unusual in this period's figures."),
    )
    revision = HiddenField()


class CorrectionForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the correction"),
        validators=[
            required(_l("Say why the declaration needs a correction.")),
            max_length(MAX_TEXT),
        ],
        description=_l("Say what was wrong in the submitted version. Do not name people."),
    )
