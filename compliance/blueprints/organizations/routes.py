"""Views of the `organizations` blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from compliance.access import current_actor, roles
from compliance.blueprints.forms import SECTOR_LABELS, show_service_error
from compliance.blueprints.organizations import bp
from compliance.blueprints.organizations.forms import ConfirmForm, InviteForm
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.services import NotFound, PermissionDenied, ServiceError
from compliance.services.organizations import get_organization
from compliance.services.team import (
    invite_colleague,
    pending_invitations,
    revoke_invitation,
    team_members,
)

STAFF = (Role.INSPECTOR, Role.REGISTRY_OFFICER, Role.ADMIN)


def _own_organization_id() -> int:
    organization_id = current_actor().organization_id
    if organization_id is None:
        abort(404)
    return organization_id


@bp.get("/organization")
@roles(Role.HR_MANAGER)
def show_own() -> ResponseReturnValue:
    organization = get_organization(db.session(), _own_organization_id())
    return render_template(
        "organizations/show.html", organization=organization, sector_labels=SECTOR_LABELS
    )


@bp.get("/organizations/<int:organization_id>")
@roles(*STAFF)
def show(organization_id: int) -> ResponseReturnValue:
    organization = get_organization(db.session(), organization_id)
    return render_template(
        "organizations/show.html", organization=organization, sector_labels=SECTOR_LABELS
    )


@bp.route("/organization/team", methods=["GET", "POST"])
@roles(Role.HR_MANAGER)
def team() -> ResponseReturnValue:
    organization_id = _own_organization_id()
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invite_colleague(
                db.session(),
                current_actor(),
                form.email.data,
                lambda token: url_for("auth.accept_invitation_form", token=token, _external=True),
            )
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("organizations.team"))
    return render_template(
        "organizations/team.html",
        form=form,
        revoke_form=ConfirmForm(),
        members=team_members(db.session(), organization_id),
        invitations=pending_invitations(db.session(), organization_id),
    ), 422 if form.errors else 200


@bp.post("/organization/team/invitations/<int:invitation_id>/revoke")
@roles(Role.HR_MANAGER)
def revoke(invitation_id: int) -> ResponseReturnValue:
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        revoke_invitation(db.session(), current_actor(), invitation_id)
    except (NotFound, PermissionDenied):
        raise  # answered as 404 / 403 by the shared error handlers
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The invitation is withdrawn."), "success")
    return redirect(url_for("organizations.team"))
