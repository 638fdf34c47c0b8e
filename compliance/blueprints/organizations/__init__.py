"""An organisation's profile and team (HR managers), and the organisation view for staff."""

from flask import Blueprint

bp = Blueprint("organizations", __name__)

from compliance.blueprints.organizations import routes  # noqa: E402, F401  (registers the views)
