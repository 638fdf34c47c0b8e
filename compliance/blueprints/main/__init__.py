"""Landing page, role home, language switch and the health check."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from compliance.blueprints.main import routes  # noqa: E402, F401  (registers the views)
