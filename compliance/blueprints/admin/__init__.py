"""Platform administration: staff accounts and their regions, the audit trail."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from compliance.blueprints.admin import routes  # noqa: E402, F401  (registers the views)
