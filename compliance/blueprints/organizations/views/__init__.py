"""The organisation's screens; importing them registers the views."""

from compliance.blueprints.organizations.views import (  # noqa: F401
    establishments,
    figures,
    history,
    organization,
)
