"""The HR manager's roster of employees with disabilities, and their consent records."""

from flask import Blueprint

bp = Blueprint("roster", __name__)

from compliance.blueprints.roster import routes  # noqa: E402, F401  (registers the views)
