"""Views of the `imports` blueprint: upload, report, confirm, progress (HR managers only).

Small files are validated and written inside the request; files with more rows than
`IMPORT_INLINE_ROWS` are tasks on the queue (`integrations.queue`), run once the request has
committed the job, and the page shows their progress (a `<progress>` element refreshed by
`static/import-progress.js` from the JSON status endpoint, or by the plain refresh link without
JavaScript).
"""

from __future__ import annotations

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from compliance.access import current_actor, roles
from compliance.blueprints.forms import service_call, uploaded_size
from compliance.blueprints.imports import bp
from compliance.blueprints.imports.forms import ConfirmForm, UploadForm
from compliance.extensions import db
from compliance.labels import IMPORT_KIND_LABELS as KIND_LABELS
from compliance.labels import IMPORT_STATUS_LABELS as STATUS_LABELS
from compliance.models.accounts import Role
from compliance.models.imports import ImportKind, ImportStatus
from compliance.services import settings
from compliance.services.imports import (
    check_soon,
    check_upload_size,
    discard_import,
    get_import,
    list_imports,
    start_import,
    write_soon,
)
from compliance.services.imports.spec import error_text
from compliance.services.imports.templates import template_csv, template_xlsx

ERRORS_PER_PAGE = 50


def _imports_page(form: UploadForm) -> ResponseReturnValue:
    return render_template(
        "imports/index.html",
        form=form,
        jobs=list_imports(db.session(), current_actor()),
        kinds=KIND_LABELS,
        statuses=STATUS_LABELS,
    ), 422 if form.errors else 200


@bp.get("/imports")
@roles(Role.HR_MANAGER)
def list_jobs() -> ResponseReturnValue:
    return _imports_page(UploadForm())


@bp.post("/imports")
@roles(Role.HR_MANAGER)
def upload() -> ResponseReturnValue:
    form = UploadForm()
    if not form.validate_on_submit():
        return _imports_page(form)
    # Read one byte past the limit: enough to tell the user the file is too large.
    data = form.file.data.read(settings().import_max_bytes + 1)
    with service_call(form) as call:
        check_upload_size(uploaded_size(form.file.data))
        job = start_import(
            db.session(),
            current_actor(),
            ImportKind(form.kind.data),
            form.file.data.filename or "",
            data,
        )
    if not call.ok:
        return _imports_page(form)
    check_soon(db.session(), job)
    return redirect(url_for("imports.show_import", import_id=job.id))


@bp.get("/imports/template")
@roles(Role.HR_MANAGER)
def download_template() -> ResponseReturnValue:
    kind = request.args.get("kind", "")
    fmt = request.args.get("format", "xlsx")
    if kind not in {k.value for k in ImportKind} or fmt not in {"csv", "xlsx"}:
        abort(404)
    organization_id = current_actor().organization_id
    assert organization_id is not None
    build = template_xlsx if fmt == "xlsx" else template_csv
    body = build(db.session(), organization_id, ImportKind(kind))
    mimetype = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if fmt == "xlsx"
        else "text/csv; charset=utf-8"
    )
    response = Response(body, content_type=mimetype)
    name = f"kuota-inklusi-{kind}-template.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/imports/<int:import_id>")
@roles(Role.HR_MANAGER)
def show_import(import_id: int) -> ResponseReturnValue:
    job = get_import(db.session(), current_actor(), import_id)
    page = max(1, request.args.get("page", 1, type=int))
    shown = job.errors[(page - 1) * ERRORS_PER_PAGE : page * ERRORS_PER_PAGE]
    return render_template(
        "imports/show.html",
        job=job,
        kinds=KIND_LABELS,
        statuses=STATUS_LABELS,
        errors=[{**e, "text": error_text(e["code"], e["params"])} for e in shown],
        page=page,
        pages=max(1, -(-len(job.errors) // ERRORS_PER_PAGE)),
        form=ConfirmForm(),
    )


@bp.get("/imports/<int:import_id>/status")
@roles(Role.HR_MANAGER)
def import_status(import_id: int) -> ResponseReturnValue:
    job = get_import(db.session(), current_actor(), import_id)
    return jsonify(
        status=job.status.value,
        label=str(STATUS_LABELS[job.status]),
        running=job.status.is_running,
        processed=job.processed_rows,
        total=job.total_rows,
        percent=job.percent,
    )


@bp.post("/imports/<int:import_id>/confirm", endpoint="confirm_import")
@roles(Role.HR_MANAGER)
def confirm(import_id: int) -> ResponseReturnValue:
    get_import(db.session(), current_actor(), import_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with service_call() as call:
        job = write_soon(db.session(), current_actor(), import_id)
    if not call.ok:
        return redirect(url_for("imports.show_import", import_id=import_id))
    if job.status is ImportStatus.DONE:
        flash(_("Import finished."), "success")
    return redirect(url_for("imports.show_import", import_id=import_id))


@bp.post("/imports/<int:import_id>/discard", endpoint="discard_import")
@roles(Role.HR_MANAGER)
def discard(import_id: int) -> ResponseReturnValue:
    get_import(db.session(), current_actor(), import_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with service_call() as call:
        job = discard_import(db.session(), current_actor(), import_id)
    if not call.ok:
        return redirect(url_for("imports.list_jobs"))
    show = url_for("imports.show_import", import_id=import_id)
    if job.status is not ImportStatus.DISCARDED:  # it ended just before the discard
        flash(_("This import had already ended, so nothing was discarded."), "info")
        return redirect(show)
    if job.processed_rows:  # stopped mid-way: the page says how many rows stay saved
        flash(_("Import stopped. Nothing more will be saved."), "success")
        return redirect(show)
    flash(_("Import discarded. Nothing was saved."), "success")
    return redirect(url_for("imports.list_jobs"))
