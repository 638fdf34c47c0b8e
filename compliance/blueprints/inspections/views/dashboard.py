"""The inspector's dashboard: ranked organisations, headline figures and charts."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from compliance.access import current_actor, roles
from compliance.blueprints.inspections import bp
from compliance.blueprints.inspections.chart import group_chart
from compliance.extensions import db
from compliance.labels import INSPECTION_TEMPLATE_LABELS
from compliance.models.accounts import Role
from compliance.models.regions import Regency
from compliance.services import ServiceError
from compliance.services.inspections import catch_up
from compliance.services.inspections.dashboard import dashboard, suppressed
from compliance.services.inspections.filters import DashboardFilters, parse_filters
from compliance.services.regions import short_name


def _regencies(province_codes: frozenset[str]) -> list[Regency]:
    return list(
        db.session.scalars(
            select(Regency)
            .where(Regency.province_code.in_(sorted(province_codes)))
            .order_by(Regency.name)
        )
    )


@bp.get("/inspections")
@roles(Role.INSPECTOR)
def show_dashboard() -> ResponseReturnValue:
    provinces = current_actor().reach().province_codes
    regencies = _regencies(provinces)
    context = {**INSPECTION_TEMPLATE_LABELS, "regencies": regencies, "suppressed": suppressed}
    try:
        filters = parse_filters(request.args, {r.code for r in regencies})
    except ServiceError as error:
        # A wrong filter shows the form with the error and nothing else: no partial results.
        return render_template(
            "inspections/dashboard.html",
            filters=DashboardFilters(),
            args=request.args,
            error=error,
            board=None,
            **context,
        ), 400
    catch_up(db.session())
    board = dashboard(db.session(), filters, provinces)
    names = {r.code: r.name for r in regencies}
    return render_template(
        "inspections/dashboard.html",
        filters=filters,
        args=request.args,
        error=None,
        board=board,
        month_chart=group_chart(board.months),
        regency_chart=group_chart(
            board.regencies, {a.key: short_name(a.label) for a in board.regencies}
        ),
        regency_names=names,
        **context,
    )
