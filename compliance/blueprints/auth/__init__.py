"""Sign-up, login, logout, password change and reset, accepting invitations."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from compliance.blueprints.auth import routes  # noqa: E402, F401  (registers the views)
