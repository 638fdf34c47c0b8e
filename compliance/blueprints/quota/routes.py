"""Views of the `quota` blueprint."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from compliance.access import public
from compliance.blueprints.quota import bp
from compliance.clock import today_in, zone_of_region
from compliance.extensions import db
from compliance.models.regions import Province, Regency
from compliance.quota import easy_read


@bp.get("/kuota")
@public
def explain() -> ResponseReturnValue:
    """Every sentence comes from the pack data, so the page never disagrees with the engine."""
    region = request.args.get("region") or None
    today = today_in(zone_of_region(region))  # the rules in force there today
    regency: Regency | Province | None = None
    if region is not None:
        # A regency/city ("34.02") or a whole province ("34"): overlays exist at both levels,
        # and the gap page links here with the region of the overlay it shows.
        if len(region) == 2:
            regency = db.session.get(Province, region)
        else:
            regency = db.session.get(Regency, region)
        if regency is None:
            abort(404)
    content = easy_read(on=today, region=region)
    lang = "id" if str(get_locale()) == "id" else "en"
    return render_template(
        "quota/explain.html", content=content, lang=lang, today=today, regency=regency
    )
