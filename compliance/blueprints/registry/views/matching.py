"""Officers' pages for the requests routed to their ULD: ranked suggestions with their reasons,
the shortlist, and the candidate's agreement to be introduced."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from compliance.access import current_actor, roles
from compliance.blueprints.forms import service_call
from compliance.blueprints.registry import bp
from compliance.blueprints.registry.forms import ConfirmForm
from compliance.extensions import db
from compliance.labels import REGISTRY_TEMPLATE_LABELS as LABELS
from compliance.models.accounts import Role
from compliance.models.registry import Candidate
from compliance.services.registry import referrals, requests
from compliance.services.registry.candidates import officer_regencies
from compliance.services.registry.matching import suggest
from compliance.services.registry.ulds import officer_uld


@bp.get("/registry/requests")
@roles(Role.REGISTRY_OFFICER)
def list_routed_requests() -> ResponseReturnValue:
    return render_template(
        "registry/requests.html",
        overviews=requests.overview(
            db.session(), requests.list_requests(db.session(), current_actor())
        ),
        uld=officer_uld(db.session(), current_actor()),
        labels=LABELS,
        officer=True,
    )


@bp.get("/registry/requests/<int:request_id>")
@roles(Role.REGISTRY_OFFICER)
def match_request(request_id: int) -> ResponseReturnValue:
    officer_regencies(current_actor())
    found = requests.get_request(db.session(), current_actor(), request_id)
    matches = suggest(db.session(), found)
    ids = [m.candidate_id for m in matches] + [
        r.candidate_id for r in found.referrals if r.candidate_id
    ]
    candidates = {
        c.id: c for c in db.session.scalars(select(Candidate).where(Candidate.id.in_(ids)))
    }
    return render_template(
        "registry/match.html",
        req=found,
        facts=requests.overview(db.session(), [found])[0],
        matches=matches,
        candidates=candidates,
        confirm_form=ConfirmForm(),
        labels=LABELS,
    )


def _back(request_id: int) -> ResponseReturnValue:
    return redirect(url_for("registry.match_request", request_id=request_id))


@bp.post("/registry/requests/<int:request_id>/propose")
@roles(Role.REGISTRY_OFFICER)
def propose_candidate(request_id: int) -> ResponseReturnValue:
    requests.get_request(db.session(), current_actor(), request_id)
    raw = request.form.get("candidate_id", "").strip()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not raw.isdigit():
        flash(_("Enter the candidate's registry number."), "error")
        return _back(request_id)
    with service_call() as call:
        referrals.propose_candidate(db.session(), current_actor(), request_id, int(raw))
    if call.ok:
        flash(_("Candidate added to the shortlist."), "success")
    return _back(request_id)


@bp.post("/registry/requests/<int:request_id>/shortlist")
@roles(Role.REGISTRY_OFFICER)
def send_shortlist(request_id: int) -> ResponseReturnValue:
    requests.get_request(db.session(), current_actor(), request_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with service_call() as call:
        count = referrals.send_shortlist(db.session(), current_actor(), request_id)
    if call.ok:
        flash(_("Shortlist of %(count)d sent to the company.", count=count), "success")
    return _back(request_id)


@bp.post("/registry/referrals/<int:referral_id>/remove")
@roles(Role.REGISTRY_OFFICER)
def remove_referral(referral_id: int) -> ResponseReturnValue:
    referral = referrals.get_referral(db.session(), current_actor(), referral_id)
    request_id = referral.request_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with service_call() as call:
        referrals.remove_referral(db.session(), current_actor(), referral_id)
    if call.ok:
        flash(_("Candidate taken off the shortlist."), "success")
    return _back(request_id)


@bp.post("/registry/referrals/<int:referral_id>/introduce")
@roles(Role.REGISTRY_OFFICER)
def introduce_candidate(referral_id: int) -> ResponseReturnValue:
    referral = referrals.get_referral(db.session(), current_actor(), referral_id)
    request_id = referral.request_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with service_call() as call:
        referrals.record_introduction(
            db.session(), current_actor(), referral_id, request.form.get("method", "")
        )
    if call.ok:
        flash(_("Introduction recorded: the company now sees the name and contact."), "success")
    return _back(request_id)
