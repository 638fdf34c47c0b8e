"""Bulk import of the roster and the monthly figures from CSV or XLSX (HR managers only)."""

from flask import Blueprint

bp = Blueprint("imports", __name__)

from compliance.blueprints.imports import routes  # noqa: E402, F401  (registers the views)
