"""An organisation's profile, team, establishments and workforce figures (HR managers), and the
organisation view for staff."""

from flask import Blueprint

bp = Blueprint("organizations", __name__)

from compliance.blueprints.organizations import views  # noqa: E402, F401  (registers the views)
