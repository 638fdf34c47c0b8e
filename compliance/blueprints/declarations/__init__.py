"""Quota declarations and the explained gap: the HR manager's home."""

from flask import Blueprint

bp = Blueprint("declarations", __name__)

# Importing the view modules registers their views on `bp`.
from compliance.blueprints.declarations import views  # noqa: E402, F401
