"""ULD registry officers: candidates with consent, matching, referrals; companies' requests."""

from flask import Blueprint

bp = Blueprint("registry", __name__)

from compliance.blueprints.registry import views  # noqa: E402, F401  (registers the views)
