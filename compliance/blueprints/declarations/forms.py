"""Forms and labels of the `declarations` blueprint."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import InputRequired, NumberRange

from compliance.blueprints.forms import max_length, required
from compliance.services.declarations import LedgerReason
from compliance.services.declarations.filing import MAX_TEXT

STATUS_LABELS = {
    "compliant": _l("Compliant"),
    "shortfall": _l("Shortfall"),
    "no_obligation": _l("No obligation"),
    "insufficient_data": _l("Insufficient data"),
}

DECLARATION_STATUS_LABELS = {"draft": _l("Draft"), "submitted": _l("Submitted")}

LEDGER_LABELS = {
    LedgerReason.COUNTED: _l("Counted"),
    LedgerReason.COUNTED_UNVERIFIED: _l("Counted (evidence not verified)"),
    LedgerReason.NO_CONSENT: _l("Not counted: no active consent"),
    LedgerReason.NOT_EMPLOYED: _l("Not counted: not employed this month"),
    LedgerReason.NO_CATEGORY: _l("Not counted: no disability category recorded"),
    LedgerReason.NO_EVIDENCE: _l("Not counted: no evidence recorded"),
    LedgerReason.EVIDENCE_EXPIRED: _l("Not counted: evidence expired"),
}


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
