"""The contract: `/api/v1/openapi.json` (OpenAPI 3.1, generated from the routes and their
pydantic schemas) and `/api/v1/reference`, a readable page drawn from the same document by
our own template (no script from elsewhere, and it passes axe like every page).

spectree documents a refused body as its own validation model in `application/json`; every
error here is problem+json instead, so `contract()` states that once for all operations: each
4xx answer an operation can give is `application/problem+json` with the `Problem` schema.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import Any

from flask import Response, current_app, json, render_template

from compliance.access import public
from compliance.blueprints.api import bp, pages, spec
from compliance.blueprints.api.gate import FILES_ATTR, public_api
from compliance.blueprints.api.problems import PROBLEM_JSON, problem_titles

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "instance"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}

_ERROR_WORDS = {
    "400": "The body is not valid JSON.",
    "401": "No token, or one that is unknown, expired or revoked.",
    "403": "The token's owner or scope may not do this.",
    "404": "Not found, or outside your reach (the two look the same).",
    "409": "Conflicts with a change made at the same time.",
    "412": "Changed since you read it (If-Match).",
    "413": "The body is too large.",
    "415": "The body is not JSON.",
    "422": "A value is refused; `errors` names each field.",
    "429": "Too many requests; see Retry-After.",
    "503": "Temporarily unavailable; see Retry-After.",
}


@cache
def contract() -> dict[str, Any]:
    """The OpenAPI document, with every error answer as problem+json. Built once per process:
    the routes do not change while it runs."""
    document = copy.deepcopy(spec.spec)
    document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    problem = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            codes = {"422", "503"}
            if operation.get("security", None) != []:
                codes |= {"401", "403", "429"}
            if method in {"post", "put", "patch"}:
                codes |= {"400", "409", "413", "415"}
            if method == "put":
                codes.add("412")
            if "{" in path:
                codes.add("404")
            for code in codes | {c for c in responses if c.startswith("4") or c == "503"}:
                responses[code] = {
                    "description": _ERROR_WORDS.get(code, "Error"),
                    "content": problem,
                }
    _file_bodies(document)
    return document


def _file_bodies(document: dict[str, Any]) -> None:
    """Routes whose body is a file (`gate.accepts_files`) state its media types: spectree
    documents JSON and form bodies only."""
    for rule in current_app.url_map.iter_rules():
        files = getattr(current_app.view_functions[rule.endpoint], FILES_ATTR, None)
        if not files or not rule.endpoint.startswith("api."):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in (rule.methods or set()) & {"POST", "PUT"}:
            operation = document["paths"].get(path, {}).get(method.lower())
            if operation is None:
                continue
            body = operation.setdefault("requestBody", {"required": True, "content": {}})
            for mimetype in sorted(files):  # a form spectree documented keeps its fields
                body["content"].setdefault(
                    mimetype, {"schema": {"type": "string", "contentMediaType": mimetype}}
                )


@bp.get("/openapi.json")
@public_api
def openapi_document() -> Response:
    return Response(json.dumps(contract()), 200, mimetype="application/json")


@pages.get("/reference")
@public
def reference() -> str:
    """The reference page: every operation, its parameters, bodies and answers, and the
    problems, each with the anchor a problem's `type` points at."""
    document = contract()
    operations = [
        (tag["name"] if isinstance(tag, dict) else tag, method.upper(), path, operation)
        for path, ops in document["paths"].items()
        for method, operation in ops.items()
        for tag in operation.get("tags", ["API"])[:1]
    ]
    return render_template(
        "api/reference.html",
        document=document,
        operations=sorted(operations, key=lambda o: (o[0], o[2], o[1])),
        schemas=document["components"]["schemas"],
        problems=problem_titles(),
    )
