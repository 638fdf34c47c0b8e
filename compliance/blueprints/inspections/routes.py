"""Views of the `inspections` blueprint."""

from __future__ import annotations

from compliance.blueprints.inspections import bp  # noqa: F401
