"""Helpers for driving the app through its test client like a browser would."""

from __future__ import annotations

import re
from html.parser import HTMLParser
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


class _TextOfElement(HTMLParser):
    """The text a reader sees inside the element with a given id (tags dropped)."""

    def __init__(self, element_id: str) -> None:
        super().__init__()
        self.element_id = element_id
        self.depth = 0  # > 0 while inside the element
        self.found = False
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_ELEMENTS:
            return
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.element_id:
            self.depth, self.found = 1, True

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in VOID_ELEMENTS:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


VOID_ELEMENTS = {
    "area",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


def text_by_id(page: str, element_id: str) -> str | None:
    """The visible words of the element with id `element_id` on `page`, spaces collapsed;
    None when the page has no such element. Reads what a user reads, whatever the markup."""
    parser = _TextOfElement(element_id)
    parser.feed(page)
    return " ".join("".join(parser.parts).split()) if parser.found else None


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0  # inside <script>, <style> or <head>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    """The page's words as a reader gets them: tags dropped, spaces collapsed."""
    parser = _VisibleText()
    parser.feed(page)
    return " ".join("".join(parser.parts).split())


_DOWNLOAD = re.compile(r'href="(/exports/\d+/download)"')


def prepared_download(client: FlaskClient, asked: TestResponse) -> TestResponse:
    """The file of an export asked for by `asked` (its redirect to the export's page): the page
    of a prepared export links its download, as a person would follow it."""
    assert asked.status_code == 302, asked.status_code
    page = text_of(client.get(asked.headers["Location"]))
    match = _DOWNLOAD.search(page)
    assert match, "the export's page has no file to download"
    return client.get(match.group(1))
