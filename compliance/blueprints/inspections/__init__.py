"""Labour inspectors: provincial dashboard, declaration review, cases and evidence packs."""

from flask import Blueprint

bp = Blueprint("inspections", __name__)

from compliance.blueprints.inspections import views  # noqa: E402, F401  (registers the views)
