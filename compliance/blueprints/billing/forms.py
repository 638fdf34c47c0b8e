"""Forms of the `billing` blueprint: small POST forms (CSRF-protected buttons)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField


class CheckoutForm(FlaskForm):
    """One button per plan and interval; the values come from hidden fields."""

    plan = HiddenField()
    interval = HiddenField()


class PortalForm(FlaskForm):
    """The button that opens the Stripe Billing Portal."""
