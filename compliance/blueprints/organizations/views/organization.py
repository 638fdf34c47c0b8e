"""Views of the `organizations` blueprint."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _

from compliance.access import current_actor, roles
from compliance.blueprints.forms import service_call
from compliance.blueprints.links import external_url
from compliance.blueprints.organizations import bp
from compliance.blueprints.organizations.forms import ConfirmForm, DueMonthForm, InviteForm
from compliance.extensions import db
from compliance.labels import SECTOR_LABELS
from compliance.models.accounts import Role
from compliance.services.declarations.periods import change_due_month
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


def _due_month_form(form: DueMonthForm) -> DueMonthForm:
    form.due_month.choices = [
        (str(month), format_date(date(2000, month, 1), "MMMM")) for month in range(1, 13)
    ]
    return form


@bp.get("/organization")
@roles(Role.HR_MANAGER)
def show_own(form: DueMonthForm | None = None) -> ResponseReturnValue:
    organization = get_organization(db.session(), _own_organization_id())
    form = form or DueMonthForm(formdata=None, due_month=str(organization.wlkp_due_month))
    return render_template(
        "organizations/show.html",
        organization=organization,
        sector_labels=SECTOR_LABELS,
        form=_due_month_form(form),
    ), 422 if form.errors else 200


@bp.post("/organization/due-month")
@roles(Role.HR_MANAGER)
def change_due_month_page() -> ResponseReturnValue:
    form = _due_month_form(DueMonthForm())
    if form.validate_on_submit():
        with service_call(form) as call:
            raw = form.due_month.data or ""
            month = int(raw) if raw.isdigit() else None
            moved = change_due_month(db.session(), current_actor(), month)
        if call.ok:
            flash(
                _("Reporting month saved. Deadlines moved: %(count)d.", count=len(moved)),
                "success",
            )
            return redirect(url_for("organizations.show_own"))
    return show_own(form)


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
        with service_call(form) as call:
            invite_colleague(
                db.session(),
                current_actor(),
                form.email.data,
                lambda token: external_url("auth.accept_invitation_form", token=token),
            )
        if call.ok:
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
    with service_call() as call:
        revoke_invitation(db.session(), current_actor(), invitation_id)
    if call.ok:
        flash(_("The invitation is withdrawn."), "success")
    return redirect(url_for("organizations.team"))
