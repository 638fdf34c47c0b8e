"""Evidence packs over HTTP: the inspector's download and the public verification page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from compliance.access import current_actor, public, roles
from compliance.blueprints.forms import service_call, show_service_error
from compliance.blueprints.inspections import bp
from compliance.blueprints.inspections.forms import PackForm, VerifyForm
from compliance.blueprints.inspections.views.organizations import (
    INSPECTORS,
    back_to_organization,
    organization_page,
)
from compliance.extensions import db
from compliance.services import ServiceError
from compliance.services.exports import request_evidence_pack
from compliance.services.inspections.evidence_pack import (
    Verification,
    checked_upload,
    verify_pack,
)
from compliance.services.inspections.organization import organization_file
from compliance.services.throttle import allow


@bp.route("/inspections/organizations/<int:organization_id>/evidence-pack", methods=["GET", "POST"])
@roles(*INSPECTORS)
def download_pack(organization_id: int) -> ResponseReturnValue:
    organization_file(db.session(), current_actor(), organization_id)  # 404 outside reach
    if request.method == "GET":
        return back_to_organization(organization_id)
    form = PackForm(prefix="pack")
    if form.validate_on_submit():
        with service_call(form) as call:
            export = request_evidence_pack(
                db.session(),
                current_actor(),
                organization_id,
                form.year.data or 0,
                include_names=bool(form.include_names.data),
                reason=form.reason.data,
            )
        if call.ok:  # prepared by a task (at once without workers): its page has the file
            return redirect(url_for("exports.show_export", export_id=export.id))
    return organization_page(organization_id, 422, pack_form=form)


#: Checks of uploaded packs per address: each reads up to 60 MB, anyone may send one.
VERIFY_LIMIT = {"limit": 20, "window_seconds": 600}


@bp.route("/evidence/verify", methods=["GET", "POST"])
@public
def verify_evidence() -> ResponseReturnValue:
    """Anyone holding a pack (a court, the company, another office) may check it."""
    form = VerifyForm()
    report: Verification | None = None
    if request.method == "POST":
        address = request.remote_addr or "unknown"
        allowed = allow(db.session(), "evidence_verify", address, **VERIFY_LIMIT)
        if not allowed:
            flash(_("Too many checks from your address. Try again in a few minutes."), "error")
            return render_template("inspections/verify.html", form=form, report=None), 429
    if form.validate_on_submit():
        upload = request.files.get(form.pack.name)
        try:
            report = verify_pack(checked_upload(upload.read() if upload else b""))
        except ServiceError as error:
            # Not `service_call`: the check writes nothing, and rolling back would undo the
            # count above, which must hold whatever the pack turns out to be.
            show_service_error(form, error)
    status = 422 if form.errors else 200
    return render_template("inspections/verify.html", form=form, report=report), status
