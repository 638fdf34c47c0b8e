"""Calling the JSON API in tests: a token made through the service, and requests that send it."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from compliance.models.accounts import User
from compliance.services.api_tokens import create_token
from tests.support.factories import Factory


def make_token(
    factory: Factory, email: str, *, can_write: bool = True, name: str = "Payroll sync"
) -> str:
    with factory.session() as session:
        user = session.scalars(select(User).where(User.email == email)).one()
        _token, secret = create_token(
            session, user, name=name, can_write=can_write, lifetime_days=90
        )
    return secret


def call(
    client: FlaskClient,
    method: str,
    path: str,
    token: str | None = None,
    *,
    json: Any = None,
    headers: dict[str, str] | None = None,
    **kwargs: Any,
) -> TestResponse:
    sent = {"Accept-Language": "en", **(headers or {})}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    return client.open(f"/api/v1{path}", method=method, json=json, headers=sent, **kwargs)


def problem(response: TestResponse, status: int) -> dict[str, Any]:
    """The problem+json body of an error answer, checked to be one."""
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status
    assert body["title"]
    assert body["instance"]
    return body


def field_errors(response: TestResponse) -> dict[str, str]:
    return {e["field"]: e["message"] for e in problem(response, 422).get("errors", [])}
