"""The registry's screens, one module per audience and concern; importing them registers views."""

from compliance.blueprints.registry.views import (  # noqa: F401
    candidates,
    imports,
    matching,
    requests,
    statistics,
    ulds,
)
