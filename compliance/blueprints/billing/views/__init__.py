"""The billing screens; importing them registers the views."""

from compliance.blueprints.billing.views import billing, jobs  # noqa: F401
