"""Views of the `registry` blueprint, one module per audience and concern."""

from __future__ import annotations

from compliance.blueprints.registry import (  # noqa: F401  (each module registers its views)
    candidate_views,
    import_views,
    match_views,
    request_views,
    stats_views,
    uld_views,
)
