"""Forms of the inspection pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import BooleanField, DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from compliance.blueprints.forms import SelectField, max_length, required
from compliance.blueprints.roster.forms import DateInput
from compliance.services.inspections.extra_holidays import MAX_NAME
from compliance.services.inspections.organization import MAX_REASON
from compliance.services.inspections.review import MAX_MESSAGE


class ConfirmForm(FlaskForm):
    """A button with nothing to fill in (CSRF only)."""


class ShowNamesForm(FlaskForm):
    reason = TextAreaField(
        _l("Why do you need the names?"),
        validators=[required(_l("State why you need the names.")), max_length(MAX_REASON)],
        description=_l("Recorded in the audit trail with your name."),
    )


class CorrectionRequestForm(FlaskForm):
    message = TextAreaField(
        _l("What must be corrected"),
        validators=[
            required(_l("Say what the organisation must correct.")),
            max_length(MAX_MESSAGE),
        ],
        description=_l("The HR managers read this on their inspections page and by e-mail."),
    )


class FindingForm(FlaskForm):
    finding = TextAreaField(
        _l("Finding"),
        validators=[required(_l("Describe the finding.")), max_length(MAX_MESSAGE)],
    )
    deadline_on = DateField(
        _l("Deadline"),
        validators=[Optional()],
        description=_l(
            "Leave empty for the default: 30 working days from today, without public "
            "holidays and cuti bersama."
        ),
    )


class EscalateForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[max_length(MAX_MESSAGE)])
    reason = TextAreaField(
        _l("Why the case cannot wait for the deadline"),
        validators=[max_length(MAX_REASON)],
        description=_l(
            "Required because the deadline of this nota has not passed. The organisation "
            "reads it on the case page; it is recorded in the audit trail with your name."
        ),
    )
    deadline_on = DateField(
        _l("New deadline (nota II)"),
        validators=[Optional()],
        description=_l("Leave empty for the default: 14 days from today."),
    )


class HolidayForm(FlaskForm):
    day = DateInput(_l("Date"), validators=[required(_l("Enter the date of the holiday."))])
    name = StringField(
        _l("Name"),
        validators=[
            required(_l("Name the holiday, as the announcement does.")),
            max_length(MAX_NAME),
        ],
        description=_l("As announced, for example: Cuti bersama Idul Fitri (SKB 3 Menteri)."),
    )


class RemoveHolidayForm(FlaskForm):
    day = DateInput(_l("Date"), validators=[required()])


class CloseForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[max_length(MAX_MESSAGE)])


class ResponseForm(FlaskForm):
    note = TextAreaField(
        _l("Your response"),
        validators=[required(_l("Write a note for the inspector.")), max_length(MAX_MESSAGE)],
    )
    files = MultipleFileField(
        _l("Documents"),
        description=_l("Optional. Up to 5 PDF, PNG or JPEG files."),
    )


class PackForm(FlaskForm):
    year = IntegerField(
        _l("Period (year)"),
        validators=[
            InputRequired(message=_l("Enter the year, for example 2025.")),
            NumberRange(min=2016, max=9999, message=_l("Enter a year from 2016.")),
        ],
    )
    include_names = BooleanField(_l("Include employee names"))
    reason = TextAreaField(
        _l("Why the pack needs names"),
        validators=[max_length(MAX_REASON)],
        description=_l("Required only with names. Recorded in the audit trail."),
    )


class VerifyForm(FlaskForm):
    pack = FileField(_l("Evidence pack (ZIP)"), validators=[required(_l("Choose a ZIP file."))])


class ReceiptCheckForm(FlaskForm):
    """Read from the query string (the receipt's QR code links here): nothing is changed, so
    no CSRF token; the service checks the values' form and ties a wrong one to its field."""

    class Meta:
        csrf = False

    number = StringField(
        _l("Receipt number"), description=_l("As printed, for example KI-2026-000042-0001.")
    )
    sha256 = StringField(_l("SHA-256 of the data"), description=_l("The 64 characters printed."))


class LetterCheckForm(FlaskForm):
    number = StringField(
        _l("Letter number"),
        validators=[max_length(80)],
        description=_l("Optional: as printed on the letter, to check that the file is that one."),
    )
    letter = FileField(
        _l("The letter (PDF)"), validators=[required(_l("Choose the letter's PDF file."))]
    )


class OfficeForm(FlaskForm):
    name = StringField(
        _l("Name of the office"),
        validators=[required(), max_length(200)],
        description=_l("As on the letterhead, e.g. Dinas Tenaga Kerja dan Transmigrasi Provinsi …"),
    )
    unit = StringField(
        _l("Unit"),
        validators=[max_length(200)],
        description=_l("Optional, e.g. Bidang Pengawasan Ketenagakerjaan."),
    )
    address = StringField(_l("Address"), validators=[required(), max_length(300)])
    phone = StringField(_l("Telephone"), validators=[max_length(40)])
    email = StringField(_l("E-mail"), validators=[max_length(120)])
    city = StringField(
        _l("Town the letters are dated in"),
        validators=[required(), max_length(100)],
        description=_l("As in “Jakarta, 4 Desember 2026”."),
    )
    letter_code = StringField(
        _l("Code in the letter numbers"),
        validators=[required(), max_length(40)],
        description=_l("Letters, digits, dots and hyphens, e.g. Disnakertrans-DKI."),
    )


class ExportForm(FlaskForm):
    scope = SelectField(_l("Scope"), choices=[])
