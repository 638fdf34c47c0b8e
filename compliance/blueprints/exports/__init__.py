"""Exports prepared in the background: the page that waits for one, and its download."""

from flask import Blueprint

bp = Blueprint("exports", __name__)

from compliance.blueprints.exports import routes  # noqa: E402, F401  (registers the views)
