"""axe-core in a real browser: inject the engine, run the WCAG 2.1 A/AA rules, report violations.

The engine is the copy bundled by axe-playwright-python. It is injected with `page.evaluate`,
which the DevTools protocol runs outside the page's Content-Security-Policy, so our strict
policy (no inline scripts) does not get in the way.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import axe_playwright_python
from playwright.sync_api import Page

AXE_SOURCE = Path(axe_playwright_python.__file__).with_name("axe.min.js")
WCAG_21_AA_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],  // skips collecting every passing node: several times faster
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.map((node) => node.target.join(' ')),
  }));
}"""


@cache
def axe_source() -> str:
    return AXE_SOURCE.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The WCAG 2.1 A and AA violations axe finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    violations: list[dict[str, Any]] = page.evaluate(_RUN_AXE, list(WCAG_21_AA_TAGS))
    return violations


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        lines.extend(f"    {target}" for target in v["targets"])
    return "\n".join(lines)


def assert_accessible(page: Page, context: str = "") -> None:
    """Fail with a readable list when axe finds WCAG 2.1 AA violations on the current page."""
    __tracebackhide__ = True
    violations = axe_violations(page)
    if violations:
        where = f"{page.url} ({context})" if context else page.url
        raise AssertionError(
            f"axe found {len(violations)} WCAG 2.1 AA violation(s) on {where}:\n"
            + format_violations(violations)
        )
