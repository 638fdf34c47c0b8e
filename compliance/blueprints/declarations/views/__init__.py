"""The declarations screens; importing them registers the views."""

from compliance.blueprints.declarations.views import declarations, gap  # noqa: F401
