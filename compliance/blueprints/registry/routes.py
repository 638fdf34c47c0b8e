"""Views of the `registry` blueprint."""

from __future__ import annotations

from compliance.blueprints.registry import bp  # noqa: F401
