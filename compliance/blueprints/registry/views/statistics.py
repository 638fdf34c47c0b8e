"""The region's picture (service levels, outcomes, employment) for officers and admins."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from compliance.access import current_actor, roles
from compliance.blueprints.registry import bp
from compliance.extensions import db
from compliance.labels import REGISTRY_TEMPLATE_LABELS as LABELS
from compliance.labels import SECTOR_LABELS
from compliance.models.accounts import Role
from compliance.services.registry.statistics import SUPPRESS_BELOW, region_picture

SUPPRESSED = _l("fewer than %(num)d", num=SUPPRESS_BELOW)


@bp.get("/registry/statistics")
@roles(Role.REGISTRY_OFFICER, Role.ADMIN)
def show_statistics() -> ResponseReturnValue:
    return render_template(
        "registry/statistics.html",
        picture=region_picture(db.session(), current_actor()),
        labels=LABELS,
        sectors=SECTOR_LABELS,
        suppressed=SUPPRESSED,
    )
