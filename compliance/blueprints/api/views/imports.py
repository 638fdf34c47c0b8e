"""API routes for imports: an HR system sends its roster or its figures as one file (CSV or
XLSX, the same columns as the page's templates) and follows it to written.

The file goes through exactly the page's path (`services.imports`): stored, every row checked,
nothing written until the client confirms; a file with one bad row writes nothing and says
which cell. Importing the same file again changes nothing (`unchanged` counts it).
"""

from __future__ import annotations

from flask import Response, request
from flask_babel import gettext as _
from spectree import Response as Answers

from compliance.blueprints.api import bp, spec
from compliance.blueprints.api.gate import (
    accepts_files,
    body_limit,
    current_api_user,
    token_required,
)
from compliance.blueprints.api.idempotency import idempotent
from compliance.blueprints.api.problems import FieldError, Problem
from compliance.blueprints.api.schemas.common import CursorQuery
from compliance.blueprints.api.schemas.imports import (
    ImportErrorOut,
    ImportOut,
    ImportPage,
    ImportQuery,
    TemplateQuery,
)
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.models.imports import ImportJob, ImportKind
from compliance.services.imports import (
    check_soon,
    discard_import,
    get_import,
    imports_page,
    start_import,
    write_soon,
)
from compliance.services.imports.spec import error_text
from compliance.services.imports.templates import template_csv

TAGS = ["HR managers: imports"]
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The page's own limit (IMPORT_MAX_BYTES) is checked by the service; this bounds the read.
MAX_FILE_BYTES = 70 * 1024 * 1024
SHOWN_ERRORS = 100


def _import(job: ImportJob) -> ImportOut:
    return ImportOut(
        id=job.id,
        kind=job.kind.value,
        status=job.status.value,
        filename=job.filename,
        total_rows=job.total_rows,
        processed_rows=job.processed_rows,
        created=job.created_count,
        updated=job.updated_count,
        unchanged=job.unchanged_count,
        error_count=job.error_count,
        errors=[
            ImportErrorOut(
                row=int(e.get("row") or 0),
                column=str(e.get("column") or ""),
                code=str(e.get("code") or ""),
                message=error_text(str(e.get("code") or ""), dict(e.get("params") or {})),
            )
            for e in job.errors[:SHOWN_ERRORS]
        ],
        created_at=job.created_at,
        finished_at=job.finished_at,
    )


@bp.get("/imports")
@token_required(Role.HR_MANAGER)
@spec.validate(query=CursorQuery, resp=Answers(HTTP_200=ImportPage), tags=TAGS)
def list_imports() -> ImportPage:
    """Your organisation's imports, oldest first."""
    query: CursorQuery = request.context.query  # type: ignore[attr-defined]
    found = imports_page(db.session(), current_api_user(), query.cursor, query.limit)
    return ImportPage(items=[_import(j) for j in found.items], next_cursor=found.next_cursor)


@bp.post("/imports")
@token_required(Role.HR_MANAGER, write=True)
@body_limit(MAX_FILE_BYTES)
@accepts_files(CSV, XLSX)
@idempotent
@spec.validate(query=ImportQuery, resp=Answers(HTTP_201=ImportOut), tags=TAGS)
def upload_import() -> tuple[ImportOut, int, dict[str, str]]:
    """Send a file as the body (`Content-Type: text/csv` or the XLSX type) with `?kind=roster`
    or `?kind=figures`. Small files are checked at once; follow `Location` until the status
    is `ready` (then confirm) or `invalid` (see `errors`)."""
    query: ImportQuery = request.context.query  # type: ignore[attr-defined]
    if request.mimetype not in (CSV, XLSX):
        raise Problem(415, "unsupported-media-type", _("Send the file as text/csv or XLSX."))
    data = request.get_data(cache=True)
    if not data:
        raise Problem(422, "invalid", errors=[FieldError("body", _("The file is empty."))])
    suffix = ".xlsx" if request.mimetype == XLSX else ".csv"
    filename = query.filename if query.filename.endswith(suffix) else f"upload{suffix}"
    session = db.session()
    job = start_import(session, current_api_user(), ImportKind(query.kind), filename, data)
    check_soon(session, job)
    return _import(job), 201, {"Location": f"{bp.url_prefix}/imports/{job.id}"}


@bp.get("/imports/template")
@token_required(Role.HR_MANAGER)
@spec.validate(query=TemplateQuery, resp=Answers(HTTP_200=None), tags=TAGS)
def download_template() -> Response:
    """The CSV template of a kind: its header row names the columns a file has (for figures,
    the employment types your sector reports)."""
    query: TemplateQuery = request.context.query  # type: ignore[attr-defined]
    user = current_api_user()
    assert user.organization_id is not None  # an HR manager's token
    body = template_csv(db.session(), user.organization_id, ImportKind(query.kind))
    return Response(body, 200, mimetype="text/csv")


@bp.get("/imports/<int:import_id>")
@token_required(Role.HR_MANAGER)
@spec.validate(resp=Answers(HTTP_200=ImportOut, HTTP_404=None), tags=TAGS)
def read_import(import_id: int) -> ImportOut:
    """An import's status, counts and first errors (each with its row, column and message)."""
    return _import(get_import(db.session(), current_api_user(), import_id))


@bp.post("/imports/<int:import_id>/confirm")
@token_required(Role.HR_MANAGER, write=True)
@idempotent
@spec.validate(resp=Answers(HTTP_200=ImportOut, HTTP_404=None), tags=TAGS)
def confirm_import(import_id: int) -> ImportOut:
    """Write a `ready` import: small ones at once (`done`), larger ones by a worker."""
    return _import(write_soon(db.session(), current_api_user(), import_id))


@bp.post("/imports/<int:import_id>/discard")
@token_required(Role.HR_MANAGER, write=True)
@idempotent
@spec.validate(resp=Answers(HTTP_200=ImportOut, HTTP_404=None), tags=TAGS)
def discard_import_(import_id: int) -> ImportOut:
    """Discard an import not written yet, or stop one that is being written."""
    return _import(discard_import(db.session(), current_api_user(), import_id))
