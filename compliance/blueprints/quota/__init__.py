"""The public Easy-Read page explaining how the quota is computed, generated from the rule packs."""

from flask import Blueprint

bp = Blueprint("quota", __name__)

from compliance.blueprints.quota import routes  # noqa: E402, F401  (registers the views)
