"""Helpers for driving the app through its test client like a browser would."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.support.factories import PASSWORD

_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The session's CSRF token, read from a rendered form as a browser would see it."""
    page = client.get(path, follow_redirects=True).get_data(as_text=True)
    match = _TOKEN.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(
    client: FlaskClient, path: str, data: dict[str, Any], *, token_from: str | None = None
) -> TestResponse:
    token = csrf_token(client, token_from or path)
    return client.post(path, data={"csrf_token": token, **data})


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> TestResponse:
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def text_of(response: TestResponse) -> str:
    return response.get_data(as_text=True)
