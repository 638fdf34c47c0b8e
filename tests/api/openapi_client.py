"""A client for the Kuota Inklusi API written from its OpenAPI document alone.

It imports nothing of the application: it reads `/api/v1/openapi.json`, finds operations by
method and path template, and speaks plain HTTP (urllib) with a bearer token, as an HR
system's integration would. Errors come back as `ApiError` carrying the problem+json body.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any


class ApiError(Exception):
    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        super().__init__(f"{status}: {problem.get('title')} {problem.get('errors') or ''}")
        self.status = status
        self.problem = problem


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: Any


class OpenApiClient:
    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        document = self._send("GET", "/api/v1/openapi.json", authenticated=False).body
        assert document["openapi"].startswith("3.1")
        #: (METHOD, path template) of every operation the document declares.
        self.operations = {
            (method.upper(), path)
            for path, operations in document["paths"].items()
            for method in operations
        }

    def call(
        self,
        method: str,
        template: str,
        *,
        path: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
        json_body: Any = None,
        raw: tuple[str, bytes] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """Call the operation `method template` (it must be in the document)."""
        if (method, template) not in self.operations:
            raise KeyError(f"the API declares no {method} {template}")
        url = re.sub(r"\{(\w+)\}", lambda m: str((path or {})[m.group(1)]), template)
        if query:
            url += "?" + urllib.parse.urlencode(query)
        return self._send(method, url, json_body=json_body, raw=raw, headers=headers)

    def every(self, template: str, **query: Any) -> list[dict[str, Any]]:
        """Every item of a cursor-paged list."""
        items: list[dict[str, Any]] = []
        cursor = None
        while True:
            page = self.call(
                "GET", template, query={**query, **({"cursor": cursor} if cursor else {})}
            ).body
            items += page["items"]
            cursor = page["next_cursor"]
            if cursor is None:
                return items

    def _send(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        raw: tuple[str, bytes] | None = None,
        headers: dict[str, str] | None = None,
        authenticated: bool = True,
    ) -> Answer:
        sent = {"Accept": "application/json", "Accept-Language": "en", **(headers or {})}
        if authenticated:
            sent["Authorization"] = f"Bearer {self.token}"
        data = None
        if json_body is not None:
            data = json.dumps(json_body).encode()
            sent["Content-Type"] = "application/json"
        elif raw is not None:
            sent["Content-Type"], data = raw
        request = urllib.request.Request(  # noqa: S310 (the base URL is ours: loopback)
            self.base_url + url, data, sent, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (loopback)
                return Answer(response.status, dict(response.headers), _body(response))
        except urllib.error.HTTPError as error:
            with error:
                raise ApiError(error.code, json.loads(error.read() or b"{}")) from None


def _body(response: Any) -> Any:
    content = response.read()
    kind = response.headers.get("Content-Type", "")
    return json.loads(content) if "json" in kind and content else content


def wait_for(client: OpenApiClient, import_id: int, statuses: set[str]) -> dict[str, Any]:
    """Poll an import until its status is one of `statuses` (a worker may be writing it)."""
    for _attempt in range(600):
        job = client.call("GET", "/api/v1/imports/{import_id}", path={"import_id": import_id}).body
        if job["status"] in statuses:
            return job
        time.sleep(0.2)
    raise TimeoutError(f"import {import_id} stayed {job['status']}")
