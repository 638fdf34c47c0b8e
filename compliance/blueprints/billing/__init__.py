"""Plans, Stripe Checkout and Billing Portal, and the Stripe webhook."""

from flask import Blueprint

bp = Blueprint("billing", __name__)

from compliance.blueprints.billing import routes  # noqa: E402, F401  (registers the views)
