"""Views for entering workforce figures many rows at a time: the month grid (every establishment,
one month) and the year view (one establishment, twelve months).

Thin: the rules, the months that may be entered and the all-or-nothing save live in
`services.workforce_grid`. Here one row form is built per line the page shows, the post is read
back into those forms only, and each problem the service reports goes back onto its cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from wtforms import Field, SelectChoice

from compliance.access import current_actor, roles
from compliance.blueprints.forms import show_service_error
from compliance.blueprints.organizations import bp
from compliance.blueprints.organizations.forms import (
    EMPLOYMENT_TYPE_LABELS,
    MonthChoiceForm,
    SheetForm,
    SheetRowForm,
    sheet_row_form,
)
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.quota import EmploymentType
from compliance.services import NotFound, PermissionDenied, ServiceError
from compliance.services.dates import add_months, month_start, months_ending, parse_month
from compliance.services.establishments import get_establishment
from compliance.services.workforce import employment_types_for, ended_month
from compliance.services.workforce_grid import (
    SheetRefused,
    SheetRow,
    SheetSaved,
    own_organization,
    record_figure_sheet,
    sheet_figures,
)

#: Ended months offered in the grid's select; older ones are reached with "previous month".
PICKER_MONTHS = 24


@dataclass
class SheetLine:
    """One table row: an establishment's month; `form` is None when it is shown read-only."""

    key: str
    heading: str
    establishment_id: int
    month: date
    recorded: Mapping[EmploymentType, int]
    form: SheetRowForm | None = None
    #: Why a row without a form is read-only: its establishment closed, or its month runs.
    closed_at: datetime | None = None
    is_running: bool = False
    #: Where the row's heading leads (the grid: the establishment's year view).
    href: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def error_id(self) -> str:
        return f"{self.key}-row-error"

    def is_skipped(self) -> bool:
        """Left blank with nothing recorded: neither saved nor refused."""
        return self.form is None or (not self.recorded and self.form.is_blank())


@dataclass(frozen=True)
class _Label:
    text: str


@dataclass(frozen=True)
class _RowTarget:
    """Where the error summary sends a row's own problem: its first cell."""

    id: str
    label: _Label


class SheetErrors:
    """Every error of a sheet as one form's `errors`, so `macros.error_summary` lists them all,
    each linked to its cell (a row's problem to the row's first cell)."""

    def __init__(self, form: SheetForm, lines: list[SheetLine]) -> None:
        self.errors: dict[str | None, list[str]] = {}
        self._targets: dict[str, Field | _RowTarget] = {}
        general = [message for messages in form.errors.values() for message in messages]
        if general:
            self.errors[None] = general
        for line in lines:
            if line.errors and line.form is not None:
                first = next(iter(line.form))
                row = _RowTarget(first.id, _Label(line.heading))
                self._add(f"{line.key}-row", row, line.errors)
            for cell in line.form or ():
                if cell.errors:
                    self._add(cell.name, cell, cell.errors)

    def _add(self, name: str, target: Field | _RowTarget, messages: Sequence[str]) -> None:
        self._targets[name] = target
        self.errors[name] = list(messages)

    def __contains__(self, name: object) -> bool:
        return name in self._targets

    def __getitem__(self, name: str) -> Field | _RowTarget:
        return self._targets[name]


def _month_label(month: date) -> str:
    return format_date(month, "MMMM yyyy")


def _stray_fields(lines: list[SheetLine]) -> bool:
    """Whether the post has fields this page did not draw: a row of an establishment that is
    not the actor's or no longer open, or a flood of made-up names."""
    known = {"csrf_token", "action"}
    known.update(cell.name for line in lines for cell in line.form or ())
    return any(name not in known for name in request.form)


def _save(form: SheetForm, lines: list[SheetLine]) -> SheetSaved | None:
    """Check the rows on the page and hand them to the service; None with every error shown."""
    valid = form.validate_on_submit()
    if _stray_fields(lines):
        form.form_errors.append(
            _(
                "The form sent figures this page does not have (an establishment that is not "
                "yours or no longer open, or fields we do not know). Nothing is saved: reload "
                "the page and enter the figures again."
            )
        )
        return None
    for line in lines:
        if not line.is_skipped():
            assert line.form is not None
            valid = line.form.validate() and valid
    if not valid:
        return None
    rows = [
        SheetRow(line.establishment_id, line.month, {cell.short_name: cell.data for cell in form_})
        for line in lines
        if not line.is_skipped() and (form_ := line.form) is not None
    ]
    session = db.session()
    try:
        return record_figure_sheet(session, current_actor(), rows)
    except (NotFound, PermissionDenied):
        raise
    except SheetRefused as refused:
        session.rollback()
        by_row = {(line.establishment_id, line.month): line for line in lines}
        for problem in refused.problems:
            target = by_row.get((problem.establishment_id, problem.month))
            if target is None:
                form.form_errors.append(problem.message)
            elif target.form is not None and problem.field and problem.field in target.form:
                cell = target.form[problem.field]
                cell.errors = [*cell.errors, problem.message]
            else:
                target.errors.append(problem.message)
    except ServiceError as error:
        session.rollback()
        show_service_error(form, error)
    return None


def _copy_forward(
    lines: list[SheetLine], previous: Mapping[int, Mapping[EmploymentType, int]]
) -> int:
    """Fill the empty rows with last month's figures, unsaved; the number of rows filled."""
    filled = 0
    for line in lines:
        if line.form is None or line.recorded or not line.form.is_blank():
            continue
        values = previous.get(line.establishment_id) or {}
        for kind, headcount in values.items():
            if kind.value in line.form:
                cell = line.form[kind.value]
                cell.data, cell.raw_data = headcount, [str(headcount)]
        filled += bool(values)
    return filled


# --- the month grid ---------------------------------------------------------------------------


def _grid_month(picker: MonthChoiceForm, today: date) -> date | None:
    """The month from `?month=` (last month by default); None with the error on the picker."""
    raw = request.args.get("month")
    if raw is None:
        month = add_months(month_start(today), -1)
    else:
        try:
            month = ended_month(parse_month(raw), today)
        except ServiceError as error:
            show_service_error(picker, error)
            return None
    picker.month.data = f"{month:%Y-%m}"
    return month


def _month_choices(today: date, month: date | None) -> list[SelectChoice]:
    months = list(months_ending(add_months(month_start(today), -1), PICKER_MONTHS))
    if month is not None and month not in months:
        months.append(month)
    return [SelectChoice(f"{m:%Y-%m}", _month_label(m)) for m in sorted(months, reverse=True)]


@bp.route("/establishments/figures", methods=["GET", "POST"])
@roles(Role.HR_MANAGER)
def edit_month_figures() -> ResponseReturnValue:
    session, actor = db.session(), current_actor()
    organization = own_organization(session, actor)
    today = organization.today()
    picker = MonthChoiceForm(formdata=request.args)
    month = _grid_month(picker, today)
    picker.month.choices = _month_choices(today, month)
    form = SheetForm()
    if month is None:
        return render_template(
            "organizations/figures_grid.html", picker=picker, form=form, month=None, today=today
        ), 422
    types = employment_types_for(organization.sector)
    before = add_months(month, -1)
    figures = sheet_figures(session, actor, [before, month])
    posted = request.form if request.method == "POST" else None
    lines = []
    for shown in figures.establishments:
        if not shown.expected_in(month):  # closed before the month began
            continue
        recorded = shown.recorded(month)
        line = SheetLine(
            f"e{shown.establishment_id}", shown.name, shown.establishment_id, month, recorded
        )
        line.href = url_for(
            "organizations.edit_year_figures",
            establishment_id=shown.establishment_id,
            year=month.year,
        )
        if shown.closed_at is None:
            data = None if posted else {kind.value: n for kind, n in recorded.items()}
            line.form = sheet_row_form(types, line.key, shown.name, posted, data)
        else:
            line.closed_at = shown.closed_at
        lines.append(line)
    notice = None
    if request.method == "POST" and request.form.get("action") == "copy":
        previous = {e.establishment_id: e.recorded(before) for e in figures.establishments}
        filled = _copy_forward(lines, previous)
        notice = ngettext(
            "The figures of %(from)s are copied into %(num)d empty row. Check them and save: "
            "nothing is saved yet.",
            "The figures of %(from)s are copied into %(num)d empty rows. Check them and save: "
            "nothing is saved yet.",
            filled,
            **{"from": _month_label(before)},
        )
    elif request.method == "POST":
        saved = _save(form, lines)
        if saved is not None:
            label = _month_label(month)
            if saved.changed:
                flash(
                    ngettext(
                        "The figures for %(month)s are saved: %(num)d establishment changed.",
                        "The figures for %(month)s are saved: %(num)d establishments changed.",
                        len(saved.changed),
                        month=label,
                    ),
                    "success",
                )
            else:
                flash(_("Nothing changed in the figures for %(month)s.", month=label), "info")
            return redirect(url_for("organizations.edit_month_figures", month=f"{month:%Y-%m}"))
    errors = SheetErrors(form, lines)
    later = add_months(month, 1)
    return render_template(
        "organizations/figures_grid.html",
        picker=picker,
        form=form,
        errors=errors,
        month=month,
        before=before,
        later=later if later < month_start(today) else None,
        today=today,
        types=types,
        labels=EMPLOYMENT_TYPE_LABELS,
        lines=lines,
        notice=notice,
    ), 422 if errors.errors else 200


# --- the year view ----------------------------------------------------------------------------


@bp.get("/establishments/<int:establishment_id>/figures/year", defaults={"year": None})
@bp.route("/establishments/<int:establishment_id>/figures/<int:year>", methods=["GET", "POST"])
@roles(Role.HR_MANAGER)
def edit_year_figures(establishment_id: int, year: int | None) -> ResponseReturnValue:
    session, actor = db.session(), current_actor()
    establishment = get_establishment(session, actor, establishment_id)
    organization = establishment.organization
    today = organization.today()
    if year is None:  # the year of the last ended month, so January opens last year's
        year = add_months(month_start(today), -1).year
    if not 1900 <= year <= today.year:
        abort(404)
    types = employment_types_for(organization.sector)
    months = [date(year, number, 1) for number in range(1, 13)]
    figures = sheet_figures(session, actor, months).establishment(establishment.id)
    posted = request.form if request.method == "POST" else None
    lines = []
    for month in months:
        recorded = figures.recorded(month)
        line = SheetLine(f"m{month:%Y-%m}", _month_label(month), establishment.id, month, recorded)
        if month >= month_start(today):
            line.is_running = True
        elif not establishment.is_open:
            line.closed_at = establishment.closed_at
        else:
            data = None if posted else {kind.value: n for kind, n in recorded.items()}
            line.form = sheet_row_form(types, line.key, line.heading, posted, data)
        lines.append(line)
    form = SheetForm()
    if request.method == "POST":
        saved = _save(form, lines)
        if saved is not None:
            if saved.changed:
                flash(
                    ngettext(
                        "The figures for %(year)s are saved: %(num)d month changed.",
                        "The figures for %(year)s are saved: %(num)d months changed.",
                        len(saved.changed),
                        year=str(year),
                    ),
                    "success",
                )
            else:
                flash(_("Nothing changed in the figures for %(year)s.", year=str(year)), "info")
            return redirect(
                url_for(
                    "organizations.edit_year_figures", establishment_id=establishment.id, year=year
                )
            )
    errors = SheetErrors(form, lines)
    return render_template(
        "organizations/figures_year.html",
        establishment=establishment,
        year=year,
        later=year + 1 if year < today.year else None,
        form=form,
        errors=errors,
        types=types,
        labels=EMPLOYMENT_TYPE_LABELS,
        lines=lines,
    ), 422 if errors.errors else 200
