"""The officers' candidate import: upload, see every error, or see what was added."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from compliance.access import current_actor, roles
from compliance.blueprints.forms import service_call, uploaded_size
from compliance.blueprints.registry import bp
from compliance.blueprints.registry.forms import UploadForm
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.models.candidate_imports import CandidateImport, CandidateImportStatus
from compliance.services import settings
from compliance.services.imports import check_upload_size
from compliance.services.imports.spec import error_text
from compliance.services.registry.candidate_import import COLUMNS, REQUIRED
from compliance.services.registry.import_tasks import (
    get_candidate_import,
    request_candidate_import,
)


@bp.route("/registry/import", methods=["GET", "POST"])
@roles(Role.REGISTRY_OFFICER)
def import_candidates_page() -> ResponseReturnValue:
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        content = upload.read(settings().import_max_bytes + 1)
        with service_call(form) as call:
            check_upload_size(uploaded_size(upload))
            asked = request_candidate_import(
                db.session(), current_actor(), upload.filename or "", content
            )
        if call.ok:  # checked and written by a task (at once without workers)
            return redirect(url_for("registry.show_candidate_import", candidate_import_id=asked.id))
    return _page(form, None)


@bp.get("/registry/import/<int:candidate_import_id>")
@roles(Role.REGISTRY_OFFICER)
def show_candidate_import(candidate_import_id: int) -> ResponseReturnValue:
    upload = get_candidate_import(db.session(), current_actor(), candidate_import_id)
    return _page(UploadForm(formdata=None), upload)


def _page(form: UploadForm, upload: CandidateImport | None) -> ResponseReturnValue:
    refused = upload is not None and upload.status is CandidateImportStatus.REFUSED
    status = 422 if form.errors or refused else 200
    return render_template(
        "registry/import.html",
        form=form,
        report=upload,
        error_text=error_text,
        columns=COLUMNS,
        required=REQUIRED,
    ), status
