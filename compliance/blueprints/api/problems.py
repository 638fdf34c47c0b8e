"""Every API error as RFC 9457 `application/problem+json`, in the reader's language.

One shape for all of them: `type` (a link into the API reference, built from `BASE_URL`),
`title`, `status`, `detail`, `instance` (the path) and, for input errors, `errors`: one
`{"field": "headcount.permanent", "message": "..."}` per field, with the same sentences as the
forms. Services' refusals (`ServiceError` with its `field`), request bodies the schema refuses
(pydantic's errors, translated), and every HTTP error (404, 405, 413, 415 ...) go through
`problem_response`; a request that breaks never gets an HTML page or a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import Response, request
from flask_babel import gettext as _
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from compliance.services import settings

PROBLEM_JSON = "application/problem+json"


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass(eq=False)  # an exception compares by identity
class Problem(Exception):
    """An API answer that is an error; raised anywhere in an API view."""

    status: int
    slug: str
    detail: str | None = None
    errors: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


def problem_titles() -> dict[str, str]:
    return {
        "bad-request": _("The request cannot be read"),
        "unauthorized": _("A valid API token is needed"),
        "forbidden": _("Not allowed"),
        "not-found": _("Not found"),
        "method-not-allowed": _("Method not allowed"),
        "conflict": _("Conflict with the current state"),
        "precondition-failed": _("Changed since you read it"),
        "too-large": _("The request is too large"),
        "unsupported-media-type": _("Send JSON"),
        "invalid": _("Some values are not valid"),
        "rate-limited": _("Too many requests"),
        "unavailable": _("Temporarily unavailable"),
        "error": _("Something went wrong"),
    }


_SLUG_OF_STATUS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    412: "precondition-failed",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid",
    429: "rate-limited",
    503: "unavailable",
}


def problem_response(problem: Problem) -> Response:
    body: dict[str, Any] = {
        "type": f"{settings().base_url}/api/v1/reference#problem-{problem.slug}",
        "title": problem_titles().get(problem.slug, problem_titles()["error"]),
        "status": problem.status,
        "instance": request.path,
    }
    if problem.detail:
        body["detail"] = problem.detail
    if problem.errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in problem.errors]
    response = Response(json.dumps(body, ensure_ascii=False), problem.status, mimetype=PROBLEM_JSON)
    response.headers.update(problem.headers)
    return response


def from_http_error(error: HTTPException) -> Problem:
    status = error.code or 500
    slug = _SLUG_OF_STATUS.get(status, "error")
    headers = {}
    if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
        headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    return Problem(status, slug, headers=headers)


def _location(loc: Iterable[object]) -> str:
    return ".".join(str(part) for part in loc) or "body"


def _message(error: dict[str, Any]) -> str:
    """pydantic's error, in the words (and the msgids) the forms use."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("This field is not part of the request: remove it.")
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Enter a number of at least %(min)s.", min=ctx.get("ge", ctx.get("gt", "")))
    if kind in {"less_than_equal", "less_than"}:
        return _("Enter a number of at most %(max)s.", max=ctx.get("le", ctx.get("lt", "")))
    if kind in {"string_too_long", "too_long"}:
        return _("Use at most %(max)d characters.", max=int(ctx.get("max_length", 0)))
    if kind in {"string_too_short", "too_short"}:
        return _("This field is required.")
    if kind in {"string_type", "string_pattern_mismatch"}:
        return _("Enter text in the expected form.")
    if kind in {"bool_type", "bool_parsing"}:
        return _("Enter true or false.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind in {"enum", "literal_error"}:
        expected = ctx.get("expected", "")
        return _("Choose one of: %(choices)s.", choices=expected)
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("Send a JSON object here.")
    if kind == "list_type":
        return _("Send a JSON list here.")
    return _("This value is not valid.")


def from_validation_error(error: ValidationError, where: str = "") -> Problem:
    errors = [
        FieldError(_location((*([where] if where else []), *e["loc"])), _message(dict(e)))
        for e in error.errors(include_url=False)
    ]
    return Problem(422, "invalid", errors=errors)
