"""Forms and labels of the `imports` blueprint."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, SelectField

from compliance.blueprints.forms import required
from compliance.models.imports import ImportKind, ImportStatus

KIND_LABELS = {
    ImportKind.ROSTER: _l("Roster of employees with disabilities"),
    ImportKind.FIGURES: _l("Monthly workforce figures"),
}
STATUS_LABELS = {
    ImportStatus.VALIDATING: _l("Checking the file"),
    ImportStatus.INVALID: _l("The file has errors; nothing was saved"),
    ImportStatus.READY: _l("Checked: waiting for your confirmation"),
    ImportStatus.IMPORTING: _l("Saving"),
    ImportStatus.DONE: _l("Imported"),
    ImportStatus.FAILED: _l("Stopped by an error"),
    ImportStatus.DISCARDED: _l("Discarded"),  # a running one may have saved rows: see its page
}


class UploadForm(FlaskForm):
    kind = SelectField(
        _l("What the file contains"),
        choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()],
        validators=[required()],
    )
    file = FileField(
        _l("File (CSV or XLSX)"),
        validators=[FileRequired(message=_l("Choose a file to upload."))],
        description=_l("Use the template below. Every row is checked before anything is saved."),
        render_kw={"accept": ".csv,.xlsx"},
    )


class ConfirmForm(FlaskForm):
    """Only the CSRF token: confirming and discarding are single buttons."""
