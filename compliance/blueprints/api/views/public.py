"""API routes anyone may call, without a token: the quota calculator.

`POST /api/v1/quota/evaluate` runs the quota engine on the engine's own JSON (a snapshot, or a
period of monthly snapshots: `compliance/quota/README.md`) and answers its result with every
line explained and cited. It reads nothing stored and stores nothing but the rate limit's
count: 30 calls a minute per address, told in the standard `RateLimit-*` headers.
"""

from __future__ import annotations

from flask import Response, g, json, request
from flask_babel import gettext as _
from spectree import Response as Answers

from compliance.blueprints.api import bp, spec
from compliance.blueprints.api.gate import body_limit, public_api
from compliance.blueprints.api.problems import FieldError, Problem
from compliance.blueprints.api.schemas.public import QuotaEvaluateIn, QuotaEvaluateOut
from compliance.clock import WIB, today_in
from compliance.extensions import db
from compliance.quota import InputError, Snapshot, evaluate, evaluate_period
from compliance.quota.parse import parse_document
from compliance.services.throttle import use

LIMIT_PER_MINUTE = 30


def _count_the_call() -> None:
    quota = use(
        db.session(),
        "api_quota_evaluate",
        request.remote_addr or "unknown",
        limit=LIMIT_PER_MINUTE,
        window_seconds=60,
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
    _count_the_call()
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
