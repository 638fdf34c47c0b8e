"""The inspectorate's screens; importing them registers the views."""

from compliance.blueprints.inspections.views import (  # noqa: F401
    admin,
    cases,
    dashboard,
    documents,
    evidence,
    holidays,
    offices,
    organizations,
)
