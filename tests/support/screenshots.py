"""Screenshots of each page type for a person to look at: what axe cannot judge (does it look like
a product, does it fit a phone?). Written while the accessibility walk visits every page, at a
desktop and a phone width, in the language the page is shown in, into `SCREENSHOTS_DIR`
(default `artifacts/screenshots/`, which CI keeps as an artefact; the README names it).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page

WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}


def screenshots_dir() -> Path:
    folder = Path(os.environ.get("SCREENSHOTS_DIR", "artifacts/screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def take(page: Page, name: str) -> list[Path]:
    """Save the whole page at each width as `<name>-<width>.png`; the viewport is put back."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")
    before = page.viewport_size
    written = []
    try:
        for label, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            path = screenshots_dir() / f"{stem}-{label}.png"
            page.screenshot(path=path, full_page=True, animations="disabled")
            written.append(path)
    finally:
        if before is not None:
            page.set_viewport_size(before)
    return written
