"""Admins' list of days off that deadlines skip: the library's, and those they add or remove.

It sits with the admins' inspection summaries (`/admin/inspections`) because working days
matter only to the deadlines of a nota pemeriksaan.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _

from compliance.access import current_actor, roles
from compliance.blueprints.forms import service_call
from compliance.blueprints.inspections import bp
from compliance.blueprints.inspections.forms import HolidayForm, RemoveHolidayForm
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.services.inspections.extra_holidays import (
    add_extra_holiday,
    remove_extra_holiday,
    upcoming_holidays,
)
from compliance.services.inspections.working_days import LIBRARY


def _language() -> str:
    """The library names its days in Indonesian or American English."""
    locale = get_locale()
    return "en_US" if locale is not None and locale.language == "en" else "id"


@bp.route("/admin/inspections/holidays", methods=["GET", "POST"])
@roles(Role.ADMIN)
def list_holidays() -> ResponseReturnValue:
    form = HolidayForm()
    if form.validate_on_submit():
        with service_call(form) as call:
            add_extra_holiday(db.session(), current_actor(), form.day.data, form.name.data)
        if call.ok:
            flash(_("The holiday is added: deadlines counted from now on skip it."), "success")
            return redirect(url_for("inspections.list_holidays"))
    return render_template(
        "inspections/holidays.html",
        form=form,
        remove_form=RemoveHolidayForm(formdata=None),
        holidays=upcoming_holidays(db.session(), language=_language()),
        library=LIBRARY,
    ), 422 if form.errors else 200


@bp.post("/admin/inspections/holidays/remove")
@roles(Role.ADMIN)
def remove_holiday() -> ResponseReturnValue:
    form = RemoveHolidayForm()
    if form.validate_on_submit():
        with service_call() as call:  # a refusal is flashed on the list
            remove_extra_holiday(db.session(), current_actor(), form.day.data)
        if call.ok:
            flash(_("The holiday is removed."), "success")
    return redirect(url_for("inspections.list_holidays"))
