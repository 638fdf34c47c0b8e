"""The JSON API, version 1: another thin adapter over the services, like the page blueprints.

Why spectree with pydantic (and not APIFlask or flask-smorest): pydantic writes JSON Schema
2020-12, the dialect of OpenAPI 3.1 itself, so the served contract needs no translation; and
spectree validates requests and responses on a plain Flask blueprint, so the API shares the
application, its request boundary (one commit per request) and its services unchanged, where
APIFlask replaces the application class and flask-smorest's marshmallow/apispec stack targets
OpenAPI 3.0.

Modules: `gate` (tokens, scopes, the JSON body's limits), `problems` (every error as
problem+json), `schemas` (the bodies), `idempotency` (replaying a POST's first answer),
and `views/`, one module of routes per audience.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from spectree import SecurityScheme, SecuritySchemeData, SpecTree
from spectree.models import SecureType

bp = Blueprint("api", __name__, url_prefix="/api/v1")
#: The human pages about the API (its reference): pages like any other, with the session's
#: language and menu, so they are not behind the token gate.
pages = Blueprint("api_pages", __name__, url_prefix="/api/v1")


def _refuse_invalid(req: Any, resp: Any, error: Any, instance: Any, adapter: Any) -> None:
    """spectree's hook after checking a request: a body the schema refuses becomes our
    problem+json answer (field by field, in the reader's language), not spectree's own."""
    if error is not None:
        from compliance.blueprints.api.problems import from_validation_error

        raise from_validation_error(error)


spec = SpecTree(
    "flask",
    mode="strict",
    title="Kuota Inklusi API",
    version="1.0.0",
    description=(
        "The disability employment quota (UU 8/2016 Pasal 53) for HR systems, registries and "
        "inspectorates. Authenticate with a personal access token: "
        "`Authorization: Bearer kin_...`. Errors are RFC 9457 problem+json."
    ),
    path="api/v1/spectree",  # spectree's own pages are not served: see `reference`
    page_templates={},
    before=_refuse_invalid,
    validation_error_status=422,
    security_schemes=[
        SecurityScheme(
            name="token",
            data=SecuritySchemeData(
                type=SecureType.HTTP, scheme="bearer", description="A personal access token"
            ),
        )
    ],
    security={"token": []},
)

from compliance.blueprints.api import gate  # noqa: E402, F401
from compliance.blueprints.api.views import (  # noqa: E402, F401
    declarations,
    hr,
    imports,
    inspections,
    me,
    public,
    reference,
    referrals,
    registry,
    roster,
    webhooks,
)
