"""Views of the `quota` blueprint."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from compliance.access import public
from compliance.blueprints.quota import bp
from compliance.extensions import db
from compliance.models.regions import Regency
from compliance.quota import easy_read

#: Indonesia's legal dates follow Jakarta time (WIB, UTC+7).
WIB = timedelta(hours=7)


@bp.get("/kuota")
@public
def explain() -> ResponseReturnValue:
    """Every sentence comes from the pack data, so the page never disagrees with the engine."""
    today = (datetime.now(UTC) + WIB).date()
    region = request.args.get("region") or None
    regency = None
    if region is not None:
        regency = db.session.get(Regency, region)
        if regency is None:
            abort(404)
    content = easy_read(on=today, region=region)
    lang = "id" if str(get_locale()) == "id" else "en"
    return render_template(
        "quota/explain.html", content=content, lang=lang, today=today, regency=regency
    )
