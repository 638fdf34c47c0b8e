"""HR managers' referral pages: request candidates from the gap, follow the referrals, record
the outcome. Candidates appear only as `disclosure.company_profile` builds them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from compliance.access import current_actor, roles
from compliance.blueprints.forms import service_call
from compliance.blueprints.registry import bp
from compliance.blueprints.registry.forms import ConfirmForm, HireForm, NotHiredForm, RequestForm
from compliance.extensions import db
from compliance.labels import REGISTRY_TEMPLATE_LABELS as LABELS
from compliance.models.accounts import Role
from compliance.models.declarations import Declaration, ReportingPeriod
from compliance.models.organizations import Establishment
from compliance.models.referrals import Referral
from compliance.services.registry import outcomes, referrals, requests
from compliance.services.registry.disclosure import company_profile


def _with_choices(form: RequestForm) -> RequestForm:
    establishments = db.session.scalars(
        select(Establishment).where(Establishment.closed_at.is_(None)).order_by(Establishment.name)
    )
    form.establishment_id.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(str(e.id), e.name) for e in establishments
    ]
    declarations = db.session.execute(
        select(Declaration.id, Declaration.number, ReportingPeriod.label)
        .join(ReportingPeriod, ReportingPeriod.id == Declaration.period_id)
        .order_by(ReportingPeriod.starts_on.desc(), Declaration.number.desc())
    )
    form.declaration_id.choices = [SelectChoice("", _("None"))] + [
        SelectChoice(
            str(d.id), _("%(period)s, version %(number)d", period=d.label, number=d.number)
        )
        for d in declarations
    ]
    return form


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@bp.get("/referrals")
@roles(Role.HR_MANAGER)
def list_requests() -> ResponseReturnValue:
    return render_template(
        "registry/requests.html",
        requests=requests.list_requests(db.session(), current_actor()),
        labels=LABELS,
        officer=False,
    )


@bp.route("/referrals/new", methods=["GET", "POST"])
@roles(Role.HR_MANAGER)
def new_request() -> ResponseReturnValue:
    form = _with_choices(RequestForm())
    if request.method == "GET" and request.args.get("declaration", "").isdigit():
        form.declaration_id.data = request.args["declaration"]
    if form.validate_on_submit():
        data = requests.RequestInput(
            establishment_id=_int(form.establishment_id.data),
            title=form.title.data or "",
            tasks=form.tasks.data or "",
            requirements=form.requirements.data or "",
            hours=form.hours.data or "",
            min_education=form.min_education.data or "",
            skill_codes=form.skill_codes.data or [],
            accommodations_offered=form.accommodations_offered.data or [],
            positions=form.positions.data,
            declaration_id=_int(form.declaration_id.data),
        )
        with service_call(form) as call:
            created = requests.create_request(db.session(), current_actor(), data)
        if call.ok:
            flash(_("Referral request sent."), "success")
            return redirect(url_for("registry.show_request", request_id=created.id))
    return render_template("registry/request_new.html", form=form), 422 if form.errors else 200


@bp.get("/referrals/<int:request_id>")
@roles(Role.HR_MANAGER)
def show_request(request_id: int) -> ResponseReturnValue:
    found = requests.get_request(db.session(), current_actor(), request_id)
    referrals.record_seen(db.session(), current_actor(), request_id)
    establishment = requests.establishment_of(db.session(), found)
    shared = [r for r in found.referrals if r.shared_at is not None]
    return render_template(
        "registry/request_company.html",
        req=found,
        routing=requests.routing_for(db.session(), establishment),
        establishment=establishment,
        profiles=[company_profile(db.session(), r) for r in shared],
        confirm_form=ConfirmForm(),
        labels=LABELS,
    )


@bp.post("/referrals/<int:request_id>/close")
@roles(Role.HR_MANAGER)
def close_request(request_id: int) -> ResponseReturnValue:
    requests.get_request(db.session(), current_actor(), request_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with service_call() as call:
        requests.close_request(db.session(), current_actor(), request_id)
    if call.ok:
        flash(_("Request closed."), "success")
    return redirect(url_for("registry.show_request", request_id=request_id))


def _company_referral(referral_id: int) -> Referral:
    referral = referrals.get_referral(db.session(), current_actor(), referral_id)
    if referral.shared_at is None:
        abort(404)
    return referral


@bp.post("/referrals/outcomes/<int:referral_id>/interviewed")
@roles(Role.HR_MANAGER)
def record_interview(referral_id: int) -> ResponseReturnValue:
    referral = _company_referral(referral_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with service_call() as call:
        referrals.record_interview(db.session(), current_actor(), referral_id)
    if call.ok:
        flash(_("Interview recorded."), "success")
    return redirect(url_for("registry.show_request", request_id=referral.request_id))


@bp.route("/referrals/outcomes/<int:referral_id>/hire", methods=["GET", "POST"])
@roles(Role.HR_MANAGER)
def hire_candidate(referral_id: int) -> ResponseReturnValue:
    referral = _company_referral(referral_id)
    form = HireForm()
    if form.validate_on_submit():
        data = outcomes.HireInput(
            employee_number=form.employee_number.data or "",
            employment_type=form.employment_type.data or "",
            start_date=form.start_date.data,
            consent_method=form.consent_method.data or "",
            consent_given_on=form.consent_given_on.data,
        )
        with service_call(form) as call:
            employee = outcomes.record_hire(db.session(), current_actor(), referral_id, data)
        if call.ok:
            flash(
                _("Hire recorded: the employee is on your roster and counts in the gap."), "success"
            )
            return redirect(url_for("roster.show_employee", employee_id=employee.id))
        referral = _company_referral(referral_id)
    return render_template(
        "registry/hire.html",
        form=form,
        profile=company_profile(db.session(), referral),
        referral=referral,
    ), 422 if form.errors else 200


def _request_page(referral: Referral) -> str:
    """Where the outcome pages return: the company's view or the officer's matching page."""
    endpoint = "registry.show_request"
    if current_actor().role is Role.REGISTRY_OFFICER:
        endpoint = "registry.match_request"
    return url_for(endpoint, request_id=referral.request_id)


@bp.route("/referrals/outcomes/<int:referral_id>/not-hired", methods=["GET", "POST"])
@roles(Role.HR_MANAGER, Role.REGISTRY_OFFICER)
def turn_down(referral_id: int) -> ResponseReturnValue:
    """Either side may record it: the company turns a candidate down, or the officer hears
    that the candidate declined."""
    referral = _company_referral(referral_id)
    form = NotHiredForm()
    if form.validate_on_submit():
        with service_call(form) as call:
            outcomes.record_not_hired(
                db.session(),
                current_actor(),
                referral_id,
                form.reason.data or "",
                form.note.data or "",
            )
        if call.ok:
            flash(_("Outcome recorded."), "success")
            return redirect(_request_page(referral))
        referral = _company_referral(referral_id)
    return render_template(
        "registry/not_hired.html",
        form=form,
        profile=company_profile(db.session(), referral),
        referral=referral,
        back=_request_page(referral),
    ), 422 if form.errors else 200
