"""Forms of the `imports` blueprint (their labels are in `compliance.labels`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice

from compliance.blueprints.forms import SelectField, required
from compliance.labels import IMPORT_KIND_LABELS


class UploadForm(FlaskForm):
    kind = SelectField(
        _l("What the file contains"),
        choices=[SelectChoice(k.value, label) for k, label in IMPORT_KIND_LABELS.items()],
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
