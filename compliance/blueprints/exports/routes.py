"""Views of the `exports` blueprint: an export's page (preparing, ready, failed) and its file."""

from __future__ import annotations

from flask import Response, render_template
from flask.typing import ResponseReturnValue

from compliance.access import current_actor, roles
from compliance.blueprints.exports import bp
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.services.exports import export_file, get_export

#: Who asks for exports today: inspectors (evidence packs) and admins (both kinds).
ASKING = (Role.INSPECTOR, Role.ADMIN)


@bp.get("/exports/<int:export_id>")
@roles(*ASKING)
def show_export(export_id: int) -> ResponseReturnValue:
    export = get_export(db.session(), current_actor(), export_id)
    return render_template("exports/show.html", export=export)


@bp.get("/exports/<int:export_id>/download")
@roles(*ASKING)
def download_export(export_id: int) -> ResponseReturnValue:
    export, data = export_file(db.session(), current_actor(), export_id)
    return Response(
        data,
        mimetype=export.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )
