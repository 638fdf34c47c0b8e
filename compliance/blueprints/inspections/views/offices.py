"""Admins' list of the inspectorate offices, one per province: the letterhead of a nota.

It sits with the admins' inspection pages (`/admin/inspections`), like the holidays, because
only the nota letters use it.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from compliance.access import current_actor, roles
from compliance.blueprints.forms import service_call
from compliance.blueprints.inspections import bp
from compliance.blueprints.inspections.forms import OfficeForm
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.services.inspections.offices import FIELDS, get_province, list_offices, save_office


@bp.get("/admin/inspections/offices")
@roles(Role.ADMIN)
def list_inspectorate_offices() -> ResponseReturnValue:
    return render_template("inspections/offices.html", rows=list_offices(db.session()))


@bp.route("/admin/inspections/offices/<province_code>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def edit_inspectorate_office(province_code: str) -> ResponseReturnValue:
    found = get_province(db.session(), province_code)  # 404 for a code that is no province
    form = OfficeForm(obj=found.office) if request.method == "GET" else OfficeForm()
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in FIELDS}
        with service_call(form) as call:
            save_office(db.session(), current_actor(), found.province.code, values)
        if call.ok:
            flash(_("The office is saved: letters issued from now on carry it."), "success")
            return redirect(url_for("inspections.list_inspectorate_offices"))
    return render_template(
        "inspections/office.html", form=form, province=found.province
    ), 422 if form.errors else 200
