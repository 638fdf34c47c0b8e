"""The ULD's own registry, read over HTTP: the one module that fetches it.

`services.registry.external` decides what the feed's records mean; this module only fetches the
JSON document at `REGISTRY_EXTERNAL_URL` with its token, within a time limit and a size limit
checked while reading (a feed that streams without end must not fill the memory), and reports
any failure as `FeedUnavailable` with a sentence for the log.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

TIMEOUT_SECONDS = 30
#: Larger than any province's registry (about 90,000 job seekers nationally at ~1 KB each).
MAX_BYTES = 200 * 1024 * 1024


class FeedUnavailable(RuntimeError):
    """The feed could not be read: not http(s), unreachable, too large or not JSON."""


def fetch_feed(url: str, token: str = "") -> Any:
    """The feed's JSON document."""
    max_bytes = MAX_BYTES
    if not url.startswith(("http://", "https://")):
        raise FeedUnavailable("REGISTRY_EXTERNAL_URL must be http(s)")
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - scheme checked above
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(max_bytes + 1)
        if len(body) > max_bytes:
            raise FeedUnavailable(f"cannot read {url}: larger than {max_bytes} bytes")
        return json.loads(body.decode("utf-8"))
    except (urllib.error.URLError, OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedUnavailable(f"cannot read {url}: {exc}") from exc
