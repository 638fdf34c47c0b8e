"""An organisation's profile, team, establishments and workforce figures (HR managers), and the
organisation view for staff."""

from flask import Blueprint

bp = Blueprint("organizations", __name__)

# Importing the view modules registers their views on `bp`.
from compliance.blueprints.organizations import (  # noqa: E402, F401
    establishments,
    history,
    routes,
)
