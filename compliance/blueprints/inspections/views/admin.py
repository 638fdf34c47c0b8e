"""Admins' national and province summaries, and their XLSX export."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from compliance.access import current_actor, roles
from compliance.blueprints.inspections import bp
from compliance.blueprints.inspections.chart import group_chart
from compliance.blueprints.inspections.forms import ConfirmForm
from compliance.extensions import db
from compliance.labels import INSPECTION_TEMPLATE_LABELS
from compliance.models.accounts import Role
from compliance.models.regions import Province
from compliance.services.exports import request_compliance_summary
from compliance.services.inspections import catch_up
from compliance.services.inspections.dashboard import suppressed
from compliance.services.inspections.rollup import national, province_board


def _province() -> Province | None:
    code = request.values.get("province") or None
    if code is None:
        return None
    province = db.session.get(Province, code)
    if province is None:
        abort(400)
    return province


@bp.get("/admin/inspections")
@roles(Role.ADMIN)
def admin_summary() -> ResponseReturnValue:
    province = _province()
    catch_up(db.session())
    board = province_board(db.session(), province.code) if province else None
    return render_template(
        "inspections/admin_summary.html",
        rows=national(db.session()),
        province=province,
        board=board,
        regency_chart=group_chart(board.regencies) if board else None,
        export_form=ConfirmForm(),
        suppressed=suppressed,
        **INSPECTION_TEMPLATE_LABELS,
    )


@bp.route("/admin/inspections/export", methods=["GET", "POST"])
@roles(Role.ADMIN)
def export_summary() -> ResponseReturnValue:
    province = _province()
    if request.method == "GET" or not ConfirmForm().validate_on_submit():
        return redirect(
            url_for("inspections.admin_summary", province=province.code if province else None)
        )
    export = request_compliance_summary(
        db.session(), current_actor(), province.code if province else None
    )
    return redirect(url_for("exports.show_export", export_id=export.id))
