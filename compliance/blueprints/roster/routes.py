"""Views of the `roster` blueprint (HR managers only).

Every view that names an employee loads it through the service first, so an employee outside
the user's reach answers 404 before any form is read. Disability details reach the templates
only as `roster.disability_details(...)`, which is None without an active consent.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from wtforms import SelectChoice

from compliance.access import current_actor, roles
from compliance.blueprints.forms import confirmation, is_confirmed, service_call
from compliance.blueprints.roster import bp
from compliance.blueprints.roster.forms import (
    LABELS,
    ConfirmForm,
    ConsentForm,
    DisabilityForm,
    EmployeeForm,
    RosterFilterForm,
)
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.models.people import Employee
from compliance.services.consent import (
    CURRENT_CONSENT_VERSION,
    consent_text,
    record_consent,
    withdraw_consent,
)
from compliance.services.disability import (
    DisabilityInput,
    set_disability_details,
    verify_evidence,
)
from compliance.services.roster import (
    EmployeeInput,
    add_employee,
    consent_status,
    disability_details,
    establishments_for,
    get_employee,
    list_roster,
    parse_roster_filters,
    update_employee,
)


def _with_establishments(form: EmployeeForm) -> EmployeeForm:
    form.establishment_id.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(str(e.id), e.name)
        for e in establishments_for(db.session(), current_actor())
        if e.closed_at is None or str(e.id) == form.establishment_id.data
    ]
    return form


def _employee_input(form: EmployeeForm) -> EmployeeInput:
    raw = form.establishment_id.data or ""
    return EmployeeInput(
        employee_number=form.employee_number.data or "",
        name=form.name.data or "",
        establishment_id=int(raw) if raw.isdigit() else None,
        employment_type=form.employment_type.data or "",
        start_date=form.start_date.data,
        end_date=form.end_date.data,
    )


def _core_data(employee: Employee) -> dict[str, Any]:
    return {
        "employee_number": employee.employee_number,
        "name": employee.name,
        "establishment_id": str(employee.establishment_id),
        "employment_type": employee.employment_type.value,
        "start_date": employee.start_date,
        "end_date": employee.end_date,
    }


def _details_data(employee: Employee) -> dict[str, Any]:
    details = disability_details(employee)
    if details is None:
        return {}
    return {
        "categories": [c.value for c in details.categories],
        "accommodation": details.accommodation or "",
        "evidence_type": details.evidence_type.value if details.evidence_type else "",
        "evidence_number": details.evidence_number or "",
        "evidence_date": details.evidence_date,
        "evidence_expires_on": details.evidence_expires_on,
    }


def _employee_page(
    employee: Employee,
    core_form: EmployeeForm | None = None,
    details_form: DisabilityForm | None = None,
) -> ResponseReturnValue:
    """The employee page; the form that was not posted is rebuilt from the stored values."""
    core_form = core_form or EmployeeForm(formdata=None, data=_core_data(employee))
    details_form = details_form or DisabilityForm(formdata=None, data=_details_data(employee))
    failed = bool(core_form.errors or details_form.errors)
    return render_template(
        "roster/show.html",
        employee=employee,
        consent=employee.active_consent,
        status=consent_status(employee),
        details=disability_details(employee),
        form=_with_establishments(core_form),
        details_form=details_form,
        confirm_form=ConfirmForm(),
        labels=LABELS,
    ), 422 if failed else 200


@bp.get("/roster")
@roles(Role.HR_MANAGER)
def list_employees() -> ResponseReturnValue:
    """One page of the roster; a filter value that is not a choice is shown on its field with
    no list at all (400), so nobody mistakes a mistyped link for an empty roster."""
    establishments = establishments_for(db.session(), current_actor())
    form = RosterFilterForm(formdata=request.args)
    form.establishment.choices = [SelectChoice("", _("All establishments"))] + [
        SelectChoice(str(e.id), e.name) for e in establishments
    ]
    page = None
    with service_call(form) as call:
        filters = parse_roster_filters(request.args, {e.id for e in establishments})
        page = list_roster(db.session(), current_actor(), filters)
    return render_template(
        "roster/list.html", form=form, page=page, labels=LABELS
    ), 200 if call.ok else 400


@bp.route("/roster/new", methods=["GET", "POST"])
@roles(Role.HR_MANAGER)
def new_employee() -> ResponseReturnValue:
    form = _with_establishments(EmployeeForm())
    if form.validate_on_submit():
        with service_call(form) as call:
            employee = add_employee(db.session(), current_actor(), _employee_input(form))
        if call.ok:
            flash(
                _("Employee added. Record their consent before any disability details."), "success"
            )
            return redirect(url_for("roster.show_employee", employee_id=employee.id))
    return render_template("roster/new.html", form=form), 422 if form.errors else 200


@bp.get("/roster/<int:employee_id>")
@roles(Role.HR_MANAGER)
def show_employee(employee_id: int) -> ResponseReturnValue:
    return _employee_page(get_employee(db.session(), current_actor(), employee_id))


@bp.post("/roster/<int:employee_id>", endpoint="update_employee")
@roles(Role.HR_MANAGER)
def update_employee_page(employee_id: int) -> ResponseReturnValue:
    """Both forms of the employee page post here, so an error state keeps the page's URL
    (and the language switch returns to it); the hidden `part` field says which one."""
    employee = get_employee(db.session(), current_actor(), employee_id)
    if request.form.get("part") == "disability":
        return _save_disability(employee)
    return _save_core(employee)


def _save_core(employee: Employee) -> ResponseReturnValue:
    form = _with_establishments(EmployeeForm())
    if form.validate_on_submit():
        with service_call(form) as call:
            update_employee(db.session(), current_actor(), employee.id, _employee_input(form))
        if call.ok:
            flash(_("Employee saved."), "success")
            return redirect(url_for("roster.show_employee", employee_id=employee.id))
        employee = get_employee(db.session(), current_actor(), employee.id)
    return _employee_page(employee, core_form=form)


def _save_disability(employee: Employee) -> ResponseReturnValue:
    form = DisabilityForm()
    if form.validate_on_submit():
        data = DisabilityInput(
            categories=form.categories.data or [],
            accommodation=form.accommodation.data or "",
            evidence_type=form.evidence_type.data or "",
            evidence_number=form.evidence_number.data or "",
            evidence_date=form.evidence_date.data,
            evidence_expires_on=form.evidence_expires_on.data,
        )
        with service_call(form) as call:
            set_disability_details(db.session(), current_actor(), employee.id, data)
        if call.ok:
            flash(_("Disability details saved."), "success")
            return redirect(url_for("roster.show_employee", employee_id=employee.id))
        employee = get_employee(db.session(), current_actor(), employee.id)
    return _employee_page(employee, details_form=form)


@bp.post("/roster/<int:employee_id>/verify", endpoint="verify_evidence")
@roles(Role.HR_MANAGER)
def verify(employee_id: int) -> ResponseReturnValue:
    get_employee(db.session(), current_actor(), employee_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with service_call() as call:
        verify_evidence(db.session(), current_actor(), employee_id)
    if call.ok:
        flash(_("Evidence marked as verified."), "success")
    return redirect(url_for("roster.show_employee", employee_id=employee_id))


@bp.route("/roster/<int:employee_id>/consent", methods=["GET", "POST"], endpoint="edit_consent")
@roles(Role.HR_MANAGER)
def consent(employee_id: int) -> ResponseReturnValue:
    employee = get_employee(db.session(), current_actor(), employee_id)
    form = ConsentForm()
    if form.validate_on_submit():
        with service_call(form) as call:
            record_consent(
                db.session(),
                current_actor(),
                employee_id,
                given_by=form.given_by.data or "",
                guardian_name=form.guardian_name.data or "",
                method=form.method.data or "",
                given_on=form.given_on.data,
            )
        if call.ok:
            flash(_("Consent recorded. You can now save the disability details."), "success")
            return redirect(url_for("roster.show_employee", employee_id=employee_id))
        employee = get_employee(db.session(), current_actor(), employee_id)
    return render_template(
        "roster/consent.html",
        employee=employee,
        consent=employee.active_consent,
        form=form,
        confirm_form=ConfirmForm(),
        paragraphs=consent_text(str(get_locale())).split("\n\n"),
        version=CURRENT_CONSENT_VERSION,
        labels=LABELS,
    ), 422 if form.errors else 200


@bp.post("/roster/<int:employee_id>/consent/withdraw", endpoint="withdraw_consent")
@roles(Role.HR_MANAGER)
def withdraw(employee_id: int) -> ResponseReturnValue:
    get_employee(db.session(), current_actor(), employee_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with service_call() as call:
        withdraw_consent(db.session(), current_actor(), employee_id)
        if not is_confirmed():
            employee = get_employee(db.session(), current_actor(), employee_id)
            name, number = employee.name, employee.employee_number
            return confirmation(
                title=_("Record that %(name)s withdrew their consent?", name=name),
                what_happens=[
                    _(
                        "The disability details of %(name)s (%(number)s) are hidden at once "
                        "and deleted later; the consent record itself is kept as proof.",
                        name=name,
                        number=number,
                    ),
                    _(
                        "%(name)s is no longer counted in any result computed from now on, so "
                        "the gap may grow; declarations already filed keep what they stated.",
                        name=name,
                    ),
                    _("Counting them again needs a new consent and the details entered again."),
                ],
                confirm_label=_("Yes, record the withdrawal"),
                cancel_url=url_for("roster.show_employee", employee_id=employee_id),
            )
    if call.ok:
        flash(
            _("Consent withdrawn. The disability details are hidden and will be deleted."),
            "success",
        )
    return redirect(url_for("roster.show_employee", employee_id=employee_id))
