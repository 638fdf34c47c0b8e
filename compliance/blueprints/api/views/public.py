"""API routes anyone may call, without a token: the quota calculator and the check of an
evidence pack.

`POST /api/v1/quota/evaluate` runs the quota engine on the engine's own JSON (a snapshot, or a
period of monthly snapshots: `compliance/quota/README.md`) and answers its result with every
line explained and cited. It reads nothing stored and stores nothing but the rate limit's
count: 30 calls a minute per address, told in the standard `RateLimit-*` headers.

`POST /api/v1/evidence-packs/verify` checks an evidence pack (`services.inspections.
evidence_pack.verify_pack`) as the public verification page does, in the page's own rate bucket.
"""

from __future__ import annotations

from flask import Response, g, json, request
from flask_babel import gettext as _
from spectree import Response as Answers
from werkzeug.exceptions import RequestEntityTooLarge

from compliance.blueprints.api import bp, spec
from compliance.blueprints.api.gate import accepts_files, body_limit, public_api
from compliance.blueprints.api.problems import FieldError, Problem, problem_response
from compliance.blueprints.api.schemas.public import (
    PackUpload,
    QuotaEvaluateIn,
    QuotaEvaluateOut,
    VerificationOut,
)
from compliance.blueprints.inspections.views.evidence import VERIFY_LIMIT
from compliance.clock import WIB, today_in
from compliance.extensions import db
from compliance.quota import InputError, Snapshot, evaluate, evaluate_period
from compliance.quota.parse import parse_document
from compliance.services import ServiceError
from compliance.services.inspections.evidence_pack import (
    MAX_PACK_BYTES,
    checked_upload,
    verify_pack,
)
from compliance.services.throttle import use

LIMIT_PER_MINUTE = 30


def _count(scope: str, *, limit: int, window_seconds: int) -> None:
    """One more call from this address in `scope`; 429 past the limit. The `RateLimit-*`
    headers go on every answer (`gate` adds them)."""
    quota = use(
        db.session(),
        scope,
        request.remote_addr or "unknown",
        limit=limit,
        window_seconds=window_seconds,
    )
    g.rate_limit_headers = {
        "RateLimit-Limit": str(quota.limit),
        "RateLimit-Remaining": str(quota.remaining),
        "RateLimit-Reset": str(quota.reset_seconds),
    }
    if not quota.allowed:
        raise Problem(
            429,
            "rate-limited",
            _("Wait %(seconds)d seconds before the next request.", seconds=quota.reset_seconds),
            headers={**g.rate_limit_headers, "Retry-After": str(quota.reset_seconds)},
        )


@bp.post("/quota/evaluate")
@public_api
@body_limit(256 * 1024)
@spec.validate(
    json=QuotaEvaluateIn,
    resp=Answers(HTTP_200=QuotaEvaluateOut, HTTP_429=None),
    tags=["Public"],
    security={},
)
def evaluate_quota() -> Response:
    """The quota for a workforce: how many people with disabilities are required, counted and
    missing, each number explained with its legal source. No token needed."""
    _count("api_quota_evaluate", limit=LIMIT_PER_MINUTE, window_seconds=60)
    today = today_in(WIB)
    try:
        document = parse_document(request.get_data(as_text=True))
        if isinstance(document, Snapshot):
            result = evaluate(document, today=today).to_dict()
        else:
            result = evaluate_period(document, today=today).to_dict()
    except InputError as error:
        # The engine is pure and speaks English only: its sentence names the field exactly.
        raise Problem(422, "invalid", errors=[FieldError(error.field, error.message)]) from None
    return Response(json.dumps(result), 200, mimetype="application/json")


# --- evidence-pack verification (public) -----------------------------------------------------

#: A pack and the multipart wrapping around it.
MAX_UPLOAD_BYTES = MAX_PACK_BYTES + 64 * 1024


def _uploaded() -> bytes:
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("pack")
        return upload.read() if upload else b""
    if request.mimetype in ("application/zip", "application/octet-stream"):
        return request.get_data()
    raise Problem(
        415,
        "unsupported-media-type",
        _("Send the pack as application/zip, or as multipart/form-data in the field pack."),
    )


@bp.post("/evidence-packs/verify")
@public_api
@body_limit(MAX_UPLOAD_BYTES)
@accepts_files("application/zip", "application/octet-stream", "multipart/form-data")
@spec.validate(
    form=PackUpload,
    resp=Answers(HTTP_200=VerificationOut, HTTP_429=None),
    tags=["Public"],
    security={},
    # The form documents the upload; the view reads it itself (a raw ZIP body too), and its
    # answers are built from `VerificationOut` or as problems and returned rather than raised
    # (see below), so spectree's own checks of either are not wanted.
    skip_validation=True,
)
def verify_evidence_pack() -> Response:
    """Check an evidence pack: its signature by this server and every file's hash. Send the
    ZIP as the body (`Content-Type: application/zip`) or as the multipart field `pack`; at
    most 60 MB, 20 checks per 10 minutes per address (shared with the verification page).
    `is_intact` false with `problems` says what is wrong; an upload that cannot be a pack at
    all is a 422 on `pack`."""
    # The page's own limit and bucket: the page and the API share one count per address.
    _count("evidence_verify", **VERIFY_LIMIT)
    # From here the answer is returned, not raised: a raise rolls the request back, and the
    # count above must hold whatever the upload turns out to be (as on the page).
    try:
        data = checked_upload(_uploaded())
    except RequestEntityTooLarge:
        return problem_response(Problem(413, "too-large"))
    except ServiceError as error:
        field_error = FieldError(error.field or "pack", error.message)
        return problem_response(Problem(422, "invalid", errors=[field_error]))
    except Problem as refused:
        return problem_response(refused)
    report = verify_pack(data)
    body = VerificationOut(
        is_intact=report.is_intact, problems=list(report.problems), manifest=report.manifest
    )
    return Response(body.model_dump_json(), 200, mimetype="application/json")
