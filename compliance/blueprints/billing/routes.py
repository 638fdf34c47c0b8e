"""Views of the `billing` blueprint."""

from __future__ import annotations

from compliance.blueprints.billing import bp  # noqa: F401
