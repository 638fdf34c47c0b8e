"""The history tab: what changed in the organisation, from the audit trail, as sentences."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from compliance.access import current_actor, roles
from compliance.blueprints.history import read_history
from compliance.blueprints.organizations import bp
from compliance.i18n import screen_zone
from compliance.models.accounts import Role


@bp.get("/organization/history")
@roles(Role.HR_MANAGER)
def history() -> ResponseReturnValue:
    organization_id = current_actor().organization_id
    assert organization_id is not None  # every HR manager belongs to an organisation
    # HR managers see their employees by name on the roster, so the history names them too.
    form, page = read_history(organization_id, areas=None, show_people=True)
    return render_template(
        "organizations/history.html", form=form, history=page, zone=screen_zone().name
    ), 422 if form.errors else 200
