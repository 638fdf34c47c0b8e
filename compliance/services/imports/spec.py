"""The published import formats: their columns, and the messages a row can earn.

The column keys are the header row of the templates, and stay stable across languages so a
file made in Indonesian opens the same way for an English-speaking colleague. Errors are
stored on the job as a code plus parameters and translated when shown, so a report reads in
the language of whoever opens it, not of whoever uploaded the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from compliance.models.imports import ImportKind
from compliance.quota.vocab import EmploymentType

#: At most this many errors are kept on a job; the report shows the count of the rest.
MAX_STORED_ERRORS = 1000
#: Several categories in one cell are separated by one of these.
LIST_SEPARATORS = (";", ",", "|")

ROSTER_CORE = ("employee_number", "name", "establishment", "employment_type", "start_date")
ROSTER_OPTIONAL = ("end_date",)
CONSENT_COLUMNS = (
    "consent_given_by",
    "consent_guardian_name",
    "consent_method",
    "consent_date",
    "consent_text_version",
)
DISABILITY_COLUMNS = (
    "disability_categories",
    "accommodation",
    "evidence_type",
    "evidence_number",
    "evidence_date",
    "evidence_expires_on",
)
ROSTER_COLUMNS = ROSTER_CORE + ROSTER_OPTIONAL + CONSENT_COLUMNS + DISABILITY_COLUMNS
FIGURES_REQUIRED = ("establishment", "month")
FIGURES_COLUMNS = FIGURES_REQUIRED + tuple(t.value for t in EmploymentType)


def columns_for(kind: ImportKind) -> tuple[str, ...]:
    return ROSTER_COLUMNS if kind is ImportKind.ROSTER else FIGURES_COLUMNS


def required_for(kind: ImportKind) -> tuple[str, ...]:
    return ROSTER_CORE if kind is ImportKind.ROSTER else FIGURES_REQUIRED


MESSAGES = {
    "missing_columns": _l("Columns missing from the header row: %(columns)s."),
    "unknown_columns": _l("Unknown columns in the header row: %(columns)s."),
    "duplicate_column": _l("The column %(column)s appears twice in the header row."),
    "no_rows": _l("The file has a header row but no data rows."),
    "required": _l("This cell is required."),
    "too_long": _l("Use at most %(max)d characters."),
    "bad_date": _l("%(value)s is not a date: write it as YYYY-MM-DD, for example 2025-01-31."),
    "bad_month": _l("%(value)s is not a month: write it as YYYY-MM, for example 2025-01."),
    "future_month": _l("%(value)s is a future month."),
    "future_date": _l("The date %(value)s is in the future."),
    "end_before_start": _l("The end date is before the start date."),
    "expiry_before_evidence": _l("The expiry date is before the evidence date."),
    "unknown_establishment": _l(
        "No establishment of yours has the id, WLKP number or name %(value)s."
    ),
    "ambiguous_establishment": _l(
        "Several of your establishments are called %(value)s: use its id."
    ),
    "closed_establishment": _l("The establishment %(value)s is closed."),
    "unknown_type": _l("%(value)s is not an employment type; use one of: %(allowed)s."),
    "type_not_reported": _l("Your organisation does not report the employment type %(value)s."),
    "unknown_category": _l("%(value)s is not a category of disability; use: %(allowed)s."),
    "unknown_evidence_type": _l("%(value)s is not a type of evidence; use one of: %(allowed)s."),
    "evidence_type_needed": _l("Give the type of evidence for this evidence number or date."),
    "unknown_choice": _l("%(value)s is not allowed here; use one of: %(allowed)s."),
    "unknown_consent_version": _l("%(value)s is not a version of the consent text."),
    "guardian_name_needed": _l("Give the guardian's name when a guardian consented."),
    "consent_needed": _l(
        "Disability details need the employee's consent: fill in the consent columns first."
    ),
    "consent_incomplete": _l("Fill in every consent column (who, how, date, text version)."),
    "consent_withdrawn": _l(
        "This employee withdrew consent on %(value)s; a new consent must be dated after that."
    ),
    "categories_needed": _l("Give at least one category of disability."),
    "duplicate_employee": _l("Employee number %(value)s also appears on row %(other)d."),
    "duplicate_month": _l("This establishment and month also appear on row %(other)d."),
    "not_a_number": _l("%(value)s is not a whole number of people."),
    "negative": _l("The number of people cannot be negative."),
    "no_figures": _l("Give the headcount for at least one employment type."),
    "below_roster": _l(
        "The roster has more employees with disabilities at this establishment in this month "
        "(%(count)d) than these figures count in all (%(total)d)."
    ),
    "interrupted": _l(
        "The import stopped: the server was restarted while it ran. Importing the same file "
        "again completes it."
    ),
    "failed": _l(
        "The import stopped because of an unexpected error. Importing the same file again "
        "completes it; if it fails again, contact support."
    ),
}


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem: `row` is the line or sheet row number, 0 for the file as a whole."""

    row: int
    column: str
    code: str
    params: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "params": self.params}


def error_text(code: str, params: dict[str, Any]) -> str:
    """The message of an error in the current request's language."""
    if code not in MESSAGES:  # a file-level problem, stored already worded
        return str(params.get("text", ""))
    return str(MESSAGES[code]) % params if params else str(MESSAGES[code])
