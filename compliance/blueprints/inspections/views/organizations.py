"""An inspector's drill-down to one organisation, "show names" and declaration reviews."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _

from compliance.access import current_actor, roles
from compliance.blueprints.forms import service_call
from compliance.blueprints.history import read_history
from compliance.blueprints.inspections import bp
from compliance.blueprints.inspections.forms import (
    ConfirmForm,
    CorrectionRequestForm,
    FindingForm,
    PackForm,
    ShowNamesForm,
)
from compliance.extensions import db
from compliance.i18n import screen_zone
from compliance.labels import INSPECTION_TEMPLATE_LABELS
from compliance.models.accounts import Role
from compliance.services.declarations.status import all_periods
from compliance.services.history import INSPECTOR_AREAS
from compliance.services.inspections import refresh_summary
from compliance.services.inspections.cases import open_case
from compliance.services.inspections.organization import (
    check_inspector,
    disclose_names,
    get_organization_in_reach,
    organization_file,
)
from compliance.services.inspections.review import (
    accept_declaration,
    request_correction,
    reviewable_declaration,
)

INSPECTORS = (Role.INSPECTOR, Role.ADMIN)


def organization_page(
    organization_id: int, status: int = 200, **forms: object
) -> ResponseReturnValue:
    file = organization_file(db.session(), current_actor(), organization_id)
    if file.summary is None:  # first look at an organisation nobody refreshed yet
        refresh_summary(db.session(), organization_id)
        file = organization_file(db.session(), current_actor(), organization_id)
    defaults: dict[str, object] = {
        "names_form": ShowNamesForm(formdata=None),
        "accept_form": ConfirmForm(formdata=None),
        "correction_form": CorrectionRequestForm(formdata=None),
        "finding_form": FindingForm(formdata=None),
        "pack_form": PackForm(
            formdata=None, prefix="pack", data={"year": file.organization.today().year - 1}
        ),
        "people": None,
    }
    defaults.update(forms)
    return render_template(
        "inspections/organization.html",
        file=file,
        standings=all_periods(db.session(), file.organization),
        lang="id" if str(get_locale()) == "id" else "en",
        **INSPECTION_TEMPLATE_LABELS,
        **defaults,
    ), status


@bp.get("/inspections/organizations/<int:organization_id>")
@roles(*INSPECTORS)
def show_organization(organization_id: int) -> ResponseReturnValue:
    return organization_page(organization_id)


@bp.get("/inspections/organizations/<int:organization_id>/history")
@roles(*INSPECTORS)
def show_history(organization_id: int) -> ResponseReturnValue:
    """The organisation's history as sentences, filtered and paged; no employee is named."""
    check_inspector(current_actor())
    organization = get_organization_in_reach(db.session(), organization_id)
    form, history = read_history(organization_id, areas=INSPECTOR_AREAS, show_people=False)
    return render_template(
        "inspections/history.html",
        organization=organization,
        form=form,
        history=history,
        zone=screen_zone().name,
    ), 422 if form.errors else 200


def back_to_organization(organization_id: int) -> ResponseReturnValue:
    return redirect(url_for("inspections.show_organization", organization_id=organization_id))


# The action URLs below also answer GET with a redirect to the page their form is on: switching
# the language after a failed POST reloads the current URL with GET.


@bp.route("/inspections/organizations/<int:organization_id>/names", methods=["GET", "POST"])
@roles(*INSPECTORS)
def show_names(organization_id: int) -> ResponseReturnValue:
    organization_file(db.session(), current_actor(), organization_id)  # 404 outside reach
    if request.method == "GET":
        return back_to_organization(organization_id)
    form = ShowNamesForm()
    if not form.validate_on_submit():
        return organization_page(organization_id, 422, names_form=form)
    with service_call(form) as call:
        people = disclose_names(db.session(), current_actor(), organization_id, form.reason.data)
    if not call.ok:
        return organization_page(organization_id, 422, names_form=form)
    return organization_page(organization_id, people=people)


def _declaration_org(declaration_id: int) -> int:
    return reviewable_declaration(db.session(), current_actor(), declaration_id).organization_id


@bp.route("/inspections/declarations/<int:declaration_id>/accept", methods=["GET", "POST"])
@roles(*INSPECTORS)
def accept(declaration_id: int) -> ResponseReturnValue:
    organization_id = _declaration_org(declaration_id)
    if request.method == "GET":
        return back_to_organization(organization_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with service_call() as call:
            accept_declaration(db.session(), current_actor(), declaration_id)
        if call.ok:
            flash(_("The declaration is accepted."), "success")
    return back_to_organization(organization_id)


@bp.route("/inspections/declarations/<int:declaration_id>/correction", methods=["GET", "POST"])
@roles(*INSPECTORS)
def ask_correction(declaration_id: int) -> ResponseReturnValue:
    organization_id = _declaration_org(declaration_id)
    if request.method == "GET":
        return back_to_organization(organization_id)
    form = CorrectionRequestForm()
    if form.validate_on_submit():
        with service_call(form) as call:
            request_correction(db.session(), current_actor(), declaration_id, form.message.data)
        if call.ok:
            flash(_("The HR managers are asked for a correction."), "success")
            return back_to_organization(organization_id)
    return organization_page(organization_id, 422, correction_form=form)


@bp.route("/inspections/declarations/<int:declaration_id>/finding", methods=["GET", "POST"])
@roles(*INSPECTORS)
def record_finding(declaration_id: int) -> ResponseReturnValue:
    organization_id = _declaration_org(declaration_id)
    if request.method == "GET":
        return back_to_organization(organization_id)
    form = FindingForm()
    if form.validate_on_submit():
        with service_call(form) as call:
            case = open_case(
                db.session(),
                current_actor(),
                declaration_id,
                form.finding.data,
                form.deadline_on.data,
            )
        if call.ok:
            flash(_("The finding is recorded and nota pemeriksaan I issued."), "success")
            return redirect(url_for("inspections.show_case", case_id=case.id))
    return organization_page(organization_id, 422, finding_form=form)
