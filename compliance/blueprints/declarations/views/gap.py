"""The HR manager's gap page and "Why is my gap N?", both computed live.

The "why" page shows its per-person ledger a page at a time (a roster of 20,000 is one
table of 240,000 cells otherwise); the totals above it are the whole roster's on every page.
Period results reach the templates with their restatement in whole people (`in_people`) and
the regional rules beside them, so the page and "why" say the same (issue 15, items 4-6).
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from compliance.access import current_actor, roles
from compliance.blueprints.declarations import bp
from compliance.blueprints.declarations.chart import month_chart
from compliance.extensions import db
from compliance.labels import DECLARATION_STATUS_LABELS, LEDGER_LABELS
from compliance.labels import QUOTA_STATUS_LABELS as STATUS_LABELS
from compliance.models.accounts import Role
from compliance.services import ServiceError
from compliance.services.declarations import GapOverview, gap_overview
from compliance.services.declarations.people import PeriodInPeople, in_people
from compliance.services.declarations.roster_facts import RosterPerson
from compliance.services.declarations.status import periods_needing_action
from compliance.services.inspections.responses import open_cases_for_organization
from compliance.services.paging import Page, page_number, page_of

#: (name, period result, the same in whole people)
PeopleRow = tuple[str, object, PeriodInPeople | None]


def _overview() -> GapOverview:
    raw = request.args.get("year")
    if raw is not None and not raw.isdigit():
        abort(404)
    try:
        return gap_overview(db.session(), current_actor(), int(raw) if raw else None)
    except ServiceError as error:
        if error.field == "year":
            abort(404)  # a year outside 2016..now has no page
        raise


def _lang() -> str:
    return "id" if str(get_locale()) == "id" else "en"


def _period_views(overview: GapOverview) -> dict[str, object]:
    """The period's rows in whole people, and the regional rules, for both pages."""
    running = overview.running
    if running is None:
        return {
            "people": None,
            "regional": [],
            "entity_rows": [],
            "establishment_rows": [],
            "province_rows": [],
        }
    entity = running.entity
    return {
        "people": in_people(entity),
        "entity_rows": [(overview.organization.name, entity, in_people(entity))],
        "establishment_rows": [(e.name, r, in_people(r)) for e, r in running.establishments],
        "province_rows": [(name, r, in_people(r)) for _code, name, r in running.provinces],
        "regional": [(o.to_data(), o.people) for o in running.overlays],
    }


@bp.get("/gap")
@roles(Role.HR_MANAGER)
def show_gap() -> ResponseReturnValue:
    overview = _overview()
    computation = overview.computation
    return render_template(
        "declarations/gap.html",
        overview=overview,
        chart=month_chart(computation.entity.months) if computation else None,
        periods_due=periods_needing_action(db.session(), overview.organization),
        open_cases=open_cases_for_organization(db.session(), current_actor()),
        status_labels=STATUS_LABELS,
        labels=DECLARATION_STATUS_LABELS,
        lang=_lang(),
        **_period_views(overview),
    )


def _ledger_page(overview: GapOverview) -> tuple[Page[RosterPerson], int | None]:
    """The page of the per-person ledger the query string asks for: a number from 1 (else
    404, like a year that has no page); past the last page, the last page, and the number
    asked for so the page can say so."""
    try:
        number = page_number(request.args)
    except ServiceError:
        abort(404)
    people = overview.computation.people if overview.computation else ()
    page = page_of(people, number)
    return page, number if number != page.number else None


@bp.get("/gap/why")
@roles(Role.HR_MANAGER)
def explain_gap() -> ResponseReturnValue:
    overview = _overview()
    computation = overview.computation
    page, missing_page = _ledger_page(overview)
    return render_template(
        "declarations/why.html",
        overview=overview,
        ledger=computation.ledger(page.rows) if computation else [],
        page=page,
        missing_page=missing_page,
        ledger_labels=LEDGER_LABELS,
        status_labels=STATUS_LABELS,
        lang=_lang(),
        **_period_views(overview),
    )
