"""The HR manager's home ("the gap") and "Why is my gap N?", both computed live."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from compliance.access import current_actor, roles
from compliance.blueprints.declarations import bp
from compliance.blueprints.declarations.chart import month_chart
from compliance.blueprints.declarations.forms import (
    DECLARATION_STATUS_LABELS,
    LEDGER_LABELS,
    STATUS_LABELS,
)
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.services import ServiceError
from compliance.services.declarations import GapOverview, gap_overview


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


@bp.get("/gap")
@roles(Role.HR_MANAGER)
def show_gap() -> ResponseReturnValue:
    overview = _overview()
    return render_template(
        "declarations/gap.html",
        overview=overview,
        chart=month_chart(overview.computation.entity.months),
        status_labels=STATUS_LABELS,
        labels=DECLARATION_STATUS_LABELS,
        lang=_lang(),
    )


@bp.get("/gap/why")
@roles(Role.HR_MANAGER)
def explain_gap() -> ResponseReturnValue:
    overview = _overview()
    return render_template(
        "declarations/why.html",
        overview=overview,
        ledger=overview.computation.ledger(),
        ledger_labels=LEDGER_LABELS,
        status_labels=STATUS_LABELS,
        lang=_lang(),
    )
