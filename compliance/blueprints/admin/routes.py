"""Views of the `admin` blueprint."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from compliance.access import current_actor, roles
from compliance.blueprints.admin import bp
from compliance.blueprints.admin.forms import (
    ROLE_LABELS,
    EndSessionsForm,
    StaffForm,
    StaffUpdateForm,
)
from compliance.blueprints.forms import province_choices, regency_choices, service_call
from compliance.blueprints.links import external_url
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.models.audit import AuditEvent
from compliance.services import staff


def _with_region_choices(form: StaffForm | StaffUpdateForm) -> None:
    form.provinces.choices = province_choices()
    form.regencies.choices = regency_choices()


def _region_field(role: Role) -> str:
    """The form field that holds a role's regions (the service calls them all "regions")."""
    return "provinces" if role is Role.INSPECTOR else "regencies"


def _chosen_regions(form: StaffForm | StaffUpdateForm, role: Role) -> list[str]:
    if role is Role.INSPECTOR:
        return list(form.provinces.data or [])
    if role is Role.REGISTRY_OFFICER:
        return list(form.regencies.data or [])
    return []


@bp.route("/users", methods=["GET", "POST"])
@roles(Role.ADMIN)
def list_users() -> ResponseReturnValue:
    form = StaffForm()
    _with_region_choices(form)
    if form.validate_on_submit():
        role = Role(form.role.data)
        with service_call(form, fields={"regions": _region_field(role)}) as call:
            user = staff.create_staff_account(
                db.session(),
                current_actor(),
                email=form.email.data,
                name=form.name.data,
                role=role.value,
                region_codes=_chosen_regions(form, role),
                setup_url=lambda token: external_url("auth.set_up_account", token=token),
            )
        if call.ok:
            flash(
                _(
                    "Account created for %(email)s; they were e-mailed a link to set a password.",
                    email=user.email,
                ),
                "success",
            )
            return redirect(url_for("admin.list_users"))
    return render_template(
        "admin/users.html", form=form, users=staff.list_users(db.session()), role_labels=ROLE_LABELS
    ), 422 if form.errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def edit_user(user_id: int) -> ResponseReturnValue:
    user = staff.get_staff_member(db.session(), user_id)
    form = StaffUpdateForm(
        obj=None,
        data={
            "provinces": [p.code for p in user.provinces],
            "regencies": [r.code for r in user.regencies],
            "is_active": user.is_active,
        },
    )
    _with_region_choices(form)
    if form.validate_on_submit():
        with service_call(form, fields={"regions": _region_field(user.role)}) as call:
            staff.update_staff_account(
                db.session(),
                current_actor(),
                user,
                region_codes=_chosen_regions(form, user.role),
                is_active=form.is_active.data,
            )
        if call.ok:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.list_users"))
    return render_template(
        "admin/user.html",
        form=form,
        user=user,
        role_labels=ROLE_LABELS,
        end_form=EndSessionsForm(formdata=None),
    ), 422 if form.errors else 200


@bp.post("/users/<int:user_id>/end-sessions")
@roles(Role.ADMIN)
def end_sessions(user_id: int) -> ResponseReturnValue:
    """Sign a user out on every device (a lost phone, a shared computer)."""
    if EndSessionsForm().validate_on_submit():
        user = staff.get_staff_member(db.session(), user_id)
        staff.end_sessions(db.session(), current_actor(), user)
        flash(_("%(name)s is signed out on every device.", name=user.name), "success")
    return redirect(url_for("admin.edit_user", user_id=user_id))


@bp.get("/audit")
@roles(Role.ADMIN)
def audit_trail() -> ResponseReturnValue:
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(200))
    # Verifying the whole chain is `flask audit verify`'s job: it grows without bound.
    return render_template("admin/audit.html", events=list(events))
