"""API routes for declarations: open a period's draft, recompute it, submit it, correct it,
and fetch its receipt. Each change is the page's own service call (`declarations.filing`), so
the same checks hold: every month's figures present, the draft computed on the current data,
a reason for a correction. The draft's `revision` is its `ETag`: send it as `If-Match` and a
change a colleague saved meanwhile answers 412 instead of being overwritten.
"""

from __future__ import annotations

from flask import Response, request
from spectree import Response as Answers

from compliance.blueprints.api import bp, spec
from compliance.blueprints.api.gate import current_api_user, token_required
from compliance.blueprints.api.idempotency import idempotent
from compliance.blueprints.api.problems import Problem
from compliance.blueprints.api.schemas.declarations import (
    CorrectIn,
    DeclarationOut,
    OpenDeclarationIn,
    SubmitIn,
)
from compliance.blueprints.api.schemas.hr import ResultOut
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.models.declarations import Declaration
from compliance.services.declarations.filing import (
    correct_declaration,
    get_declaration,
    open_declaration,
    recompute_declaration,
    submit_declaration,
)
from compliance.services.declarations.status import declared_result
from compliance.services.receipts import (
    get_submitted_declaration,
    receipt_filename,
    receipt_pdf,
    record_receipt_download,
)

HR = Role.HR_MANAGER
TAGS = ["HR managers: declarations"]


def _etag(declaration: Declaration) -> str:
    return f"{declaration.id}-{declaration.revision}"


def _answer(declaration: Declaration, status: int = 200) -> Response:
    result = declared_result(declaration.data)
    body = DeclarationOut(
        id=declaration.id,
        year=declaration.period.starts_on.year,
        version=declaration.number,
        revision=declaration.revision,
        status="submitted" if declaration.is_submitted else "draft",
        note=declaration.note,
        corrects_id=declaration.corrects_id,
        correction_reason=declaration.correction_reason,
        computed_at=declaration.computed_at,
        input_sha256=declaration.input_sha256,
        submitted_at=declaration.submitted_at,
        receipt_number=declaration.receipt_number,
        result=ResultOut(
            status=result.status,  # type: ignore[arg-type]
            required=result.required,
            counted=result.counted,
            gap=result.gap,
        ),
        months=len(declaration.data.get("months", ())),
        due_on=declaration.period.due_on,
    )
    response = Response(body.model_dump_json(), status, mimetype="application/json")
    response.set_etag(_etag(declaration))
    if status == 201:
        response.headers["Location"] = f"{bp.url_prefix}/declarations/{declaration.id}"
    return response


def _revision(declaration: Declaration) -> int:
    """The revision the client read (`If-Match`), or the current one when it sends none."""
    if request.if_match and not request.if_match.contains(_etag(declaration)):
        raise Problem(412, "precondition-failed", headers={"ETag": f'"{_etag(declaration)}"'})
    return declaration.revision


@bp.post("/declarations")
@token_required(HR, write=True)
@idempotent
@spec.validate(json=OpenDeclarationIn, resp=Answers(HTTP_201=DeclarationOut), tags=TAGS)
def open_draft() -> Response:
    """Open (compute) the draft for a year, or get the one already open."""
    body: OpenDeclarationIn = request.context.json  # type: ignore[attr-defined]
    return _answer(open_declaration(db.session(), current_api_user(), body.year), 201)


@bp.get("/declarations/<int:declaration_id>")
@token_required(HR)
@spec.validate(resp=Answers(HTTP_200=DeclarationOut, HTTP_404=None), tags=TAGS)
def read_declaration(declaration_id: int) -> Response:
    """A declaration version, draft or filed, with its result in whole people."""
    return _answer(get_declaration(db.session(), current_api_user(), declaration_id))


@bp.post("/declarations/<int:declaration_id>/recompute")
@token_required(HR, write=True)
@spec.validate(resp=Answers(HTTP_200=DeclarationOut, HTTP_404=None, HTTP_412=None), tags=TAGS)
def recompute(declaration_id: int) -> Response:
    """Compute the draft again from the current figures and roster."""
    session, user = db.session(), current_api_user()
    declaration = get_declaration(session, user, declaration_id)
    revision = _revision(declaration)
    return _answer(recompute_declaration(session, user, declaration_id, revision))


@bp.post("/declarations/<int:declaration_id>/submit")
@token_required(HR, write=True)
@spec.validate(
    json=SubmitIn, resp=Answers(HTTP_200=DeclarationOut, HTTP_404=None, HTTP_412=None), tags=TAGS
)
def submit(declaration_id: int) -> Response:
    """File the draft. Refused (422) while a month lacks figures, or when the data changed
    since it was computed (recompute, review, submit); a filed one cannot be filed again."""
    body: SubmitIn = request.context.json  # type: ignore[attr-defined]
    session, user = db.session(), current_api_user()
    declaration = get_declaration(session, user, declaration_id)
    revision = _revision(declaration)
    return _answer(submit_declaration(session, user, declaration_id, revision, body.note))


@bp.post("/declarations/<int:declaration_id>/correct")
@token_required(HR, write=True)
@idempotent
@spec.validate(json=CorrectIn, resp=Answers(HTTP_201=DeclarationOut, HTTP_404=None), tags=TAGS)
def correct(declaration_id: int) -> Response:
    """Open a new draft version correcting a filed declaration; the reason is required."""
    body: CorrectIn = request.context.json  # type: ignore[attr-defined]
    correction = correct_declaration(db.session(), current_api_user(), declaration_id, body.reason)
    return _answer(correction, 201)


@bp.get("/declarations/<int:declaration_id>/receipt")
@token_required(HR)
@spec.validate(resp=Answers(HTTP_200=None, HTTP_404=None), tags=TAGS)
def download_receipt(declaration_id: int) -> Response:
    """The filed declaration's receipt (PDF), with its verification link and QR code. Each
    copy handed out is audited, as on the page."""
    session, user = db.session(), current_api_user()
    declaration = get_submitted_declaration(session, user, declaration_id)
    body = receipt_pdf(declaration)
    record_receipt_download(session, user, declaration, "pdf")
    response = Response(body, 200, mimetype="application/pdf")
    name = receipt_filename(declaration, "pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
