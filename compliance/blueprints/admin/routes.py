"""Views of the `admin` blueprint."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from wtforms import SelectChoice

from compliance.access import current_actor, roles
from compliance.blueprints.admin import bp
from compliance.blueprints.admin.forms import (
    AuditSearchForm,
    EndSessionsForm,
    SendAgainForm,
    StaffForm,
    StaffUpdateForm,
    VerifyTrailForm,
)
from compliance.blueprints.forms import (
    confirmation,
    is_confirmed,
    province_choices,
    regency_choices,
    service_call,
)
from compliance.blueprints.links import external_url
from compliance.extensions import db
from compliance.i18n import screen_zone
from compliance.labels import ROLE_LABELS
from compliance.labels import action_label as audit_action_label
from compliance.models.accounts import Role
from compliance.services import outbox, staff
from compliance.services.audit_search import (
    AuditFilters,
    AuditPage,
    TrailVerification,
    recorded_actions,
    search_events,
    verify_trail,
)
from compliance.services.history import describe


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
                nip=form.nip.data,
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
            "nip": staff.format_nip(user.nip) if user.nip else "",
        },
    )
    _with_region_choices(form)
    if form.validate_on_submit():
        deactivating = user.is_active and not form.is_active.data
        with service_call(form, fields={"regions": _region_field(user.role)}) as call:
            staff.update_staff_account(
                db.session(),
                current_actor(),
                user,
                region_codes=_chosen_regions(form, user.role),
                is_active=form.is_active.data,
                nip=form.nip.data,
            )
            if deactivating and not is_confirmed():
                return confirmation(
                    title=_("Deactivate the account of %(name)s?", name=user.name),
                    what_happens=[
                        _(
                            "%(name)s (%(email)s) can no longer log in, and is signed out on "
                            "every device at once.",
                            name=user.name,
                            email=user.email,
                        ),
                        _(
                            "Everything they recorded stays, with their name in the history; "
                            "you can activate the account again later."
                        ),
                    ],
                    confirm_label=_("Yes, deactivate the account"),
                    cancel_url=url_for("admin.edit_user", user_id=user_id),
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


@bp.get("/mail")
@roles(Role.ADMIN)
def undelivered_mail() -> ResponseReturnValue:
    """E-mails the mail server refused at every attempt, and how many are still on their way."""
    session = db.session()
    return render_template(
        "admin/mail.html",
        failed=outbox.failed_mail(session),
        waiting=outbox.waiting_count(session),
        max_attempts=outbox.MAX_ATTEMPTS,
        form=SendAgainForm(formdata=None),
    )


@bp.post("/mail/<int:mail_id>/send-again")
@roles(Role.ADMIN)
def send_mail_again(mail_id: int) -> ResponseReturnValue:
    if SendAgainForm().validate_on_submit():
        outbox.send_again(db.session(), current_actor(), mail_id)
        flash(_("The e-mail is queued again; it leaves within a minute."), "success")
    return redirect(url_for("admin.undelivered_mail"))


def _search_form() -> AuditSearchForm:
    form = AuditSearchForm(formdata=request.args)
    actions = recorded_actions(db.session())
    form.action.choices = [
        SelectChoice("", _("Any action")),
        *sorted(
            (SelectChoice(a, str(audit_action_label(a))) for a in actions),
            key=lambda choice: choice.label,
        ),
    ]
    return form


def _audit_page(
    form: AuditSearchForm, verification: TrailVerification | None = None
) -> ResponseReturnValue:
    """The page with the events `form` picks (none while its filters are invalid)."""
    history: AuditPage | None = None
    if form.validate():
        filters = AuditFilters(
            organization=form.organization.data or "",
            actor=form.actor.data or "",
            action=form.action.data or "",
            date_from=form.date_from.data,
            date_to=form.date_to.data,
            zone=screen_zone(),
        )
        with service_call(form):
            history = search_events(db.session(), filters, request.args.get("page", 1, int))
    return render_template(
        "admin/audit.html",
        form=form,
        history=history,
        # Each event beside its sentence; no employee or candidate is named on this page.
        rows=list(zip(history.events, describe(db.session(), history.events), strict=True))
        if history is not None
        else [],
        # The filters without the page number, for the pager's links.
        filters={k: v for k, v in request.args.items() if k != "page" and v},
        verify_form=VerifyTrailForm(formdata=None),
        verification=verification,
        zone=screen_zone().name,
    ), 422 if form.errors else 200


@bp.get("/audit")
@roles(Role.ADMIN)
def audit_trail() -> ResponseReturnValue:
    return _audit_page(_search_form())


@bp.post("/audit/verify")
@roles(Role.ADMIN)
def verify_audit_trail() -> ResponseReturnValue:
    """Check the whole chain and every checkpoint now, and show the answer on the page."""
    if not VerifyTrailForm().validate_on_submit():
        return redirect(url_for("admin.audit_trail"))
    return _audit_page(_search_form(), verify_trail(db.session()))
