"""Officers' pages of the candidate registry: list, register, edit, consent, trainings.

Every view that names a candidate loads it through the service first, so a candidate outside
the officer's regencies answers 404 before any form is read.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from compliance.access import current_actor, roles
from compliance.blueprints.forms import regency_choices, service_call
from compliance.blueprints.registry import bp
from compliance.blueprints.registry.forms import (
    CandidateConsentForm,
    CandidateFilterForm,
    CandidateForm,
    ConfirmForm,
    TrainingForm,
)
from compliance.extensions import db
from compliance.labels import REGISTRY_TEMPLATE_LABELS as LABELS
from compliance.models.accounts import Role
from compliance.models.regions import Regency
from compliance.models.registry import Candidate
from compliance.services.registry import candidates as service
from compliance.services.registry import consent
from compliance.services.registry.candidate_list import list_candidates as candidate_list
from compliance.services.registry.candidate_list import parse_candidate_filters


def _regencies(codes: frozenset[str]) -> list[Regency]:
    return list(
        db.session.scalars(select(Regency).where(Regency.code.in_(codes)).order_by(Regency.name))
    )


def _with_choices(form: CandidateForm) -> CandidateForm:
    mine = service.officer_regencies(current_actor())
    form.regency_code.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(r.code, r.name) for r in _regencies(mine)
    ]
    form.preferred_regencies.choices = regency_choices()
    return form


def _input(form: CandidateForm) -> service.CandidateInput:
    return service.CandidateInput(
        name=form.name.data or "",
        email=form.email.data or "",
        phone=form.phone.data or "",
        regency_code=form.regency_code.data or "",
        categories=form.categories.data or [],
        education=form.education.data or "",
        skills=form.skills.data or [],
        skills_other=form.skills_other.data or "",
        experience=form.experience.data or "",
        preferred_regencies=form.preferred_regencies.data or [],
        is_willing_to_relocate=bool(form.is_willing_to_relocate.data),
        hours=form.hours.data or "",
        accommodation_needs=form.accommodation_needs.data or [],
        accommodation_note=form.accommodation_note.data or "",
        availability=form.availability.data or "",
        available_from=form.available_from.data,
    )


def _data(c: Candidate) -> dict[str, Any]:
    return {
        "name": c.name,
        "email": c.email or "",
        "phone": c.phone or "",
        "regency_code": c.regency_code,
        "categories": c.disability_categories or [],
        "education": c.education.value,
        "skills": [s.skill_code for s in c.skills],
        "skills_other": c.skills_other or "",
        "experience": c.experience or "",
        "preferred_regencies": [loc.regency_code for loc in c.locations],
        "is_willing_to_relocate": c.is_willing_to_relocate,
        "hours": c.hours.value,
        "accommodation_needs": c.accommodation_needs or [],
        "accommodation_note": c.accommodation_note or "",
        "availability": c.availability.value,
        "available_from": c.available_from,
    }


@bp.get("/registry/candidates")
@roles(Role.REGISTRY_OFFICER)
def list_candidates() -> ResponseReturnValue:
    """One page of the registry; a filter value that is not a choice is shown on its field
    with no list at all (400), as the roster does."""
    mine = service.officer_regencies(current_actor())
    form = CandidateFilterForm(formdata=request.args)
    form.regency.choices = [SelectChoice("", _("All"))] + [
        SelectChoice(r.code, r.name) for r in _regencies(mine)
    ]
    page = None
    with service_call(form) as call:
        filters = parse_candidate_filters(request.args, set(mine))
        page = candidate_list(db.session(), current_actor(), filters)
    return render_template(
        "registry/candidates.html", form=form, page=page, labels=LABELS
    ), 200 if call.ok else 400


@bp.route("/registry/candidates/new", methods=["GET", "POST"])
@roles(Role.REGISTRY_OFFICER)
def new_candidate() -> ResponseReturnValue:
    form = _with_choices(CandidateForm())
    if form.validate_on_submit():
        with service_call(form) as call:
            candidate = service.save_candidate(db.session(), current_actor(), _input(form))
        if call.ok:
            flash(
                _("Draft saved. Record the candidate's consent to add them to matching."), "success"
            )
            return redirect(url_for("registry.candidate_consent", candidate_id=candidate.id))
    return render_template("registry/candidate_new.html", form=form), 422 if form.errors else 200


def _page(
    candidate: Candidate,
    form: CandidateForm | None = None,
    training_form: TrainingForm | None = None,
) -> ResponseReturnValue:
    form = form or CandidateForm(formdata=None, data=_data(candidate))
    training_form = training_form or TrainingForm(formdata=None)
    failed = bool(form.errors or training_form.errors)
    return render_template(
        "registry/candidate.html",
        candidate=candidate,
        form=_with_choices(form),
        training_form=training_form,
        confirm_form=ConfirmForm(),
        labels=LABELS,
    ), 422 if failed else 200


@bp.route("/registry/candidates/<int:candidate_id>", methods=["GET", "POST"])
@roles(Role.REGISTRY_OFFICER)
def show_candidate(candidate_id: int) -> ResponseReturnValue:
    candidate = service.get_candidate(db.session(), current_actor(), candidate_id)
    if request.method == "GET":
        return _page(candidate)
    form = _with_choices(CandidateForm())
    if form.validate_on_submit():
        with service_call(form) as call:
            service.save_candidate(db.session(), current_actor(), _input(form), candidate_id)
        if call.ok:
            flash(_("Candidate saved."), "success")
            return redirect(url_for("registry.show_candidate", candidate_id=candidate_id))
        candidate = service.get_candidate(db.session(), current_actor(), candidate_id)
    return _page(candidate, form=form)


@bp.post("/registry/candidates/<int:candidate_id>/trainings")
@roles(Role.REGISTRY_OFFICER)
def add_training(candidate_id: int) -> ResponseReturnValue:
    candidate = service.get_candidate(db.session(), current_actor(), candidate_id)
    form = TrainingForm()
    if form.validate_on_submit():
        data = service.TrainingInput(
            title=form.title.data or "",
            provider=form.provider.data or "",
            completed_on=form.completed_on.data,
            skill_code=form.skill_code.data or "",
            has_certificate=bool(form.has_certificate.data),
        )
        with service_call(form) as call:
            service.add_training(db.session(), current_actor(), candidate_id, data)
        if call.ok:
            flash(_("Training added."), "success")
            return redirect(url_for("registry.show_candidate", candidate_id=candidate_id))
        candidate = service.get_candidate(db.session(), current_actor(), candidate_id)
    return _page(candidate, training_form=form)


@bp.post("/registry/candidates/<int:candidate_id>/trainings/<int:training_id>/remove")
@roles(Role.REGISTRY_OFFICER)
def remove_training(candidate_id: int, training_id: int) -> ResponseReturnValue:
    service.get_candidate(db.session(), current_actor(), candidate_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with service_call() as call:
        service.remove_training(db.session(), current_actor(), candidate_id, training_id)
    if call.ok:
        flash(_("Training removed."), "success")
    return redirect(url_for("registry.show_candidate", candidate_id=candidate_id))


@bp.route("/registry/candidates/<int:candidate_id>/consent", methods=["GET", "POST"])
@roles(Role.REGISTRY_OFFICER)
def candidate_consent(candidate_id: int) -> ResponseReturnValue:
    candidate = service.get_candidate(db.session(), current_actor(), candidate_id)
    form = CandidateConsentForm()
    if form.validate_on_submit():
        data = consent.CandidateConsentInput(
            given_by=form.given_by.data or "",
            guardian_name=form.guardian_name.data or "",
            method=form.method.data or "",
            given_on=form.given_on.data,
            may_share_category=bool(form.may_share_category.data),
            may_share_accommodation=bool(form.may_share_accommodation.data),
        )
        with service_call(form) as call:
            consent.record_candidate_consent(db.session(), current_actor(), candidate_id, data)
        if call.ok:
            flash(_("Consent recorded: the candidate is now in matching."), "success")
            return redirect(url_for("registry.show_candidate", candidate_id=candidate_id))
        candidate = service.get_candidate(db.session(), current_actor(), candidate_id)
    return render_template(
        "registry/candidate_consent.html",
        candidate=candidate,
        consent=candidate.active_consent,
        form=form,
        confirm_form=ConfirmForm(),
        paragraphs=consent.candidate_consent_text(str(get_locale())).split("\n\n"),
        version=consent.CURRENT_VERSION,
        labels=LABELS,
    ), 422 if form.errors else 200


@bp.post("/registry/candidates/<int:candidate_id>/consent/withdraw")
@roles(Role.REGISTRY_OFFICER)
def withdraw_candidate(candidate_id: int) -> ResponseReturnValue:
    service.get_candidate(db.session(), current_actor(), candidate_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with service_call() as call:
        consent.withdraw_candidate_consent(db.session(), current_actor(), candidate_id)
    if call.ok:
        flash(
            _("Consent withdrawn: the candidate is out of matching and will be deleted."), "success"
        )
    return redirect(url_for("registry.show_candidate", candidate_id=candidate_id))
