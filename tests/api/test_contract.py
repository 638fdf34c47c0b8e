"""The served OpenAPI document is the contract: schemathesis generates requests from it for
every operation, as each role and without a token, and checks every answer against it.

Bounded: a fixed number of examples per operation, derandomized (the same requests on every
run), no example database. It runs on the WSGI app in this process: nothing leaves the machine.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from compliance.models import Role
from tests.support.api import make_token

EXAMPLES = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _exercise(app, token: str | None) -> int:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def exercise(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)

        exercise()
    return len(operations)


def test_the_document_is_openapi_3_1_with_problems(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert "Problem" in document["components"]["schemas"]
    put = document["paths"]["/api/v1/establishments/{establishment_id}/figures/{month}"]["put"]
    assert put["responses"]["412"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }


@pytest.mark.parametrize("role", ["hr_manager", "inspector", "registry_officer", "nobody"])
def test_every_operation_keeps_the_contract(app, factory, role):
    org = factory.org(other_regencies=("32.73",))
    emails = {
        "hr_manager": org.hr_email,
        "inspector": factory.user(Role.INSPECTOR, provinces=("31", "32")).email,
        "registry_officer": factory.user(Role.REGISTRY_OFFICER, regencies=("32.73",)).email,
    }
    token = make_token(factory, emails[role]) if role in emails else None
    assert _exercise(app, token) >= 9
