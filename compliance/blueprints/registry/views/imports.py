"""The officers' candidate import: upload, see every error, or see what was added."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from compliance.access import current_actor, roles
from compliance.blueprints.forms import service_call, uploaded_size
from compliance.blueprints.registry import bp
from compliance.blueprints.registry.forms import UploadForm
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.services import settings
from compliance.services.imports import check_upload_size
from compliance.services.imports.spec import error_text
from compliance.services.registry.candidate_import import COLUMNS, REQUIRED, import_candidates


@bp.route("/registry/import", methods=["GET", "POST"])
@roles(Role.REGISTRY_OFFICER)
def import_candidates_page() -> ResponseReturnValue:
    form = UploadForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        content = upload.read(settings().import_max_bytes + 1)
        with service_call(form) as call:
            check_upload_size(uploaded_size(upload))
            report = import_candidates(
                db.session(), current_actor(), upload.filename or "", content
            )
            if not report.is_clean:
                db.session.rollback()
        if not call.ok:
            report = None
    status = 422 if form.errors or (report is not None and not report.is_clean) else 200
    return render_template(
        "registry/import.html",
        form=form,
        report=report,
        error_text=error_text,
        columns=COLUMNS,
        required=REQUIRED,
    ), status
