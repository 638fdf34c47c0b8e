"""Webhook endpoints of an organisation (HR managers) or a ULD (registry officers): one set of
pages, whose owner follows from who is logged in, as `/account/tokens` does for tokens."""

from flask import Blueprint

bp = Blueprint("webhooks", __name__)

from compliance.blueprints.webhooks import routes  # noqa: E402, F401  (registers the views)
