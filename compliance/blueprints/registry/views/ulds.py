"""Administrators' pages of the ULD directory: the ULDs and which officers belong to each."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from compliance.access import current_actor, roles
from compliance.blueprints.forms import province_choices, regency_choices, service_call
from compliance.blueprints.registry import bp
from compliance.blueprints.registry.forms import ConfirmForm, OfficerForm, UldForm
from compliance.extensions import db
from compliance.models.accounts import Role, User
from compliance.models.registry import Uld
from compliance.services import NotFound
from compliance.services.registry import ulds


def _with_choices(form: UldForm) -> UldForm:
    form.province_code.choices = [SelectChoice("", _("Choose…")), *province_choices()]
    form.regency_code.choices = [SelectChoice("", _("None: a provincial ULD")), *regency_choices()]
    return form


def _input(form: UldForm) -> ulds.UldInput:
    return ulds.UldInput(
        name=form.name.data or "",
        province_code=form.province_code.data or "",
        regency_code=form.regency_code.data or "",
        email=form.email.data or "",
        phone=form.phone.data or "",
        address=form.address.data or "",
    )


@bp.route("/admin/ulds", methods=["GET", "POST"])
@roles(Role.ADMIN)
def list_ulds() -> ResponseReturnValue:
    form = _with_choices(UldForm())
    if form.validate_on_submit():
        with service_call(form) as call:
            uld = ulds.save_uld(db.session(), current_actor(), _input(form))
        if call.ok:
            flash(_("ULD added."), "success")
            return redirect(url_for("registry.edit_uld", uld_id=uld.id))
    return render_template(
        "registry/ulds.html", ulds=ulds.list_ulds(db.session()), form=form
    ), 422 if form.errors else 200


def _officer_form() -> OfficerForm:
    form = OfficerForm()
    officers = db.session.scalars(
        select(User).where(User.role == Role.REGISTRY_OFFICER).order_by(User.name)
    )
    form.officer_id.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(str(u.id), f"{u.name} ({u.email})") for u in officers
    ]
    return form


def _uld_or_404(uld_id: int) -> Uld:
    try:
        return ulds.get_uld(db.session(), uld_id)
    except NotFound:
        abort(404)


@bp.route("/admin/ulds/<int:uld_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def edit_uld(uld_id: int) -> ResponseReturnValue:
    uld = _uld_or_404(uld_id)
    form = _with_choices(UldForm(obj=uld))
    if form.validate_on_submit():
        with service_call(form) as call:
            ulds.save_uld(db.session(), current_actor(), _input(form), uld_id)
        if call.ok:
            flash(_("ULD saved."), "success")
            return redirect(url_for("registry.edit_uld", uld_id=uld_id))
        uld = _uld_or_404(uld_id)
    return render_template(
        "registry/uld.html",
        uld=uld,
        form=form,
        officer_form=_officer_form(),
        officers=ulds.officers_of(db.session(), uld_id),
        confirm_form=ConfirmForm(),
    ), 422 if form.errors else 200


@bp.post("/admin/ulds/<int:uld_id>/officers")
@roles(Role.ADMIN)
def add_uld_officer(uld_id: int) -> ResponseReturnValue:
    _uld_or_404(uld_id)
    form = _officer_form()
    raw = form.officer_id.data or ""
    if form.validate_on_submit() and raw.isdigit():
        with service_call() as call:
            ulds.set_officer_uld(db.session(), current_actor(), int(raw), uld_id)
        if call.ok:
            flash(_("Officer added to this ULD."), "success")
    else:
        flash(_("Choose a registry officer."), "error")
    return redirect(url_for("registry.edit_uld", uld_id=uld_id))


@bp.post("/admin/ulds/<int:uld_id>/officers/<int:user_id>/remove")
@roles(Role.ADMIN)
def remove_uld_officer(uld_id: int, user_id: int) -> ResponseReturnValue:
    _uld_or_404(uld_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with service_call() as call:
        ulds.set_officer_uld(db.session(), current_actor(), user_id, None)
    if call.ok:
        flash(_("Officer removed from this ULD."), "success")
    return redirect(url_for("registry.edit_uld", uld_id=uld_id))
