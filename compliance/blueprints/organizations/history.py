"""The history tab: what changed in the organisation, from the audit trail."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from compliance.access import current_actor, roles
from compliance.blueprints.organizations import bp
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.services.history import organization_history

#: Plain words for audit actions; an action missing here is shown as its code.
ACTION_LABELS = {
    "organization.signed_up": _l("Organisation registered"),
    "invitation.sent": _l("Colleague invited"),
    "invitation.accepted": _l("Invitation accepted"),
    "invitation.revoked": _l("Invitation withdrawn"),
    "user.password_changed": _l("Password changed"),
    "user.password_reset_requested": _l("Password reset requested"),
    "user.password_reset": _l("Password reset"),
    "user.account_setup": _l("Account set up"),
    "user.updated": _l("Account changed"),
    "user.logged_out": _l("Logged out"),
    "user.sessions_ended": _l("Signed out on every device by an administrator"),
    "establishment.added": _l("Establishment added"),
    "establishment.updated": _l("Establishment changed"),
    "establishment.closed": _l("Establishment closed"),
    "establishment.reopened": _l("Establishment reopened"),
    "workforce.figures_recorded": _l("Monthly figures recorded"),
    "employee.added": _l("Employee added to the roster"),
    "employee.updated": _l("Employee changed"),
    "employee.disability_details_saved": _l("Disability details saved"),
    "employee.disability_details_purged": _l("Disability details deleted"),
    "employee.evidence_verified": _l("Evidence verified"),
    "consent.recorded": _l("Consent recorded"),
    "consent.withdrawn": _l("Consent withdrawn"),
}


@bp.get("/organization/history")
@roles(Role.HR_MANAGER)
def history() -> ResponseReturnValue:
    organization_id = current_actor().organization_id
    assert organization_id is not None  # every HR manager belongs to an organisation
    page = organization_history(db.session(), organization_id, request.args.get("page", 1, int))
    return render_template("organizations/history.html", history=page, labels=ACTION_LABELS)
