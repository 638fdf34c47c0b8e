"""Plans, Stripe Checkout and Billing Portal, the Stripe webhook, and the admin's operations page
(job runs and subscriptions)."""

from flask import Blueprint

bp = Blueprint("billing", __name__)

from compliance.blueprints.billing import views  # noqa: E402, F401  (the views)
