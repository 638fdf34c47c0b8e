"""Views for an HR manager's establishments and their monthly workforce figures."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from wtforms import SelectChoice

from compliance.access import current_actor, roles
from compliance.blueprints.forms import (
    confirmation,
    is_confirmed,
    regency_choices,
    service_call,
    show_service_error,
)
from compliance.blueprints.organizations import bp
from compliance.blueprints.organizations.forms import (
    EMPLOYMENT_TYPE_LABELS,
    ConfirmForm,
    EstablishmentForm,
    MonthForm,
    figures_form,
)
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.models.organizations import Establishment
from compliance.services import NotFound, PermissionDenied, ServiceError
from compliance.services import establishments as service
from compliance.services.dates import (
    months_ending,
    parse_month,
    previous_month,
)
from compliance.services.workforce import (
    employment_types_for,
    ended_month,
    monthly_figures,
    record_monthly_figures,
)

HISTORY_MONTHS = 12


@bp.get("/establishments")
@roles(Role.HR_MANAGER)
def list_establishments() -> ResponseReturnValue:
    return render_template(
        "organizations/establishments.html",
        establishments=service.list_establishments(db.session(), current_actor()),
        confirm_form=ConfirmForm(),
    )


def _details(form: EstablishmentForm) -> service.EstablishmentDetails:
    return service.EstablishmentDetails(
        name=form.name.data or "",
        regency_code=form.regency_code.data or "",
        address=form.address.data,
        wlkp_number=form.wlkp_number.data,
        wlkp_registered_on=form.wlkp_registered_on.data,
    )


def _establishment_form(establishment: Establishment | None = None) -> EstablishmentForm:
    form = EstablishmentForm(obj=establishment)
    form.regency_code.choices = [SelectChoice("", _("Choose…")), *regency_choices()]
    return form


@bp.route("/establishments/new", methods=["GET", "POST"])
@roles(Role.HR_MANAGER)
def new_establishment() -> ResponseReturnValue:
    form = _establishment_form()
    if form.validate_on_submit():
        with service_call(form) as call:
            establishment = service.add_establishment(db.session(), current_actor(), _details(form))
        if call.ok:
            flash(_("%(name)s is added.", name=establishment.name), "success")
            return redirect(url_for("organizations.list_establishments"))
    return render_template(
        "organizations/establishment_form.html", form=form, establishment=None
    ), 422 if form.errors else 200


@bp.route("/establishments/<int:establishment_id>/edit", methods=["GET", "POST"])
@roles(Role.HR_MANAGER)
def edit_establishment(establishment_id: int) -> ResponseReturnValue:
    establishment = service.get_establishment(db.session(), current_actor(), establishment_id)
    form = _establishment_form(establishment)
    if form.validate_on_submit():
        with service_call(form) as call:
            establishment = service.update_establishment(
                db.session(), current_actor(), establishment_id, _details(form)
            )
        if call.ok:
            flash(_("%(name)s is saved.", name=establishment.name), "success")
            return redirect(url_for("organizations.list_establishments"))
    return render_template(
        "organizations/establishment_form.html", form=form, establishment=establishment
    ), 422 if form.errors else 200


def _confirmed_change(action: str, establishment_id: int) -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    change = service.close_establishment if action == "close" else service.reopen_establishment
    with service_call() as call:
        establishment = change(db.session(), current_actor(), establishment_id)
        if action == "close" and not is_confirmed():
            name = establishment.name
            return confirmation(
                title=_("Close %(name)s?", name=name),
                what_happens=[
                    _(
                        "From the month after this one, no monthly figures are asked for %(name)s.",
                        name=name,
                    ),
                    _(
                        "Its figures, its employees' history and every declaration that counted "
                        "it are kept; you can open it again later."
                    ),
                    _("Employees still working there should be moved to another establishment."),
                ],
                confirm_label=_("Yes, close %(name)s", name=name),
                cancel_url=url_for("organizations.list_establishments"),
            )
    if call.ok:
        if action == "close":
            flash(_("%(name)s is closed. Its history is kept.", name=establishment.name), "success")
        else:
            flash(_("%(name)s is open again.", name=establishment.name), "success")
    return redirect(url_for("organizations.list_establishments"))


@bp.post("/establishments/<int:establishment_id>/close")
@roles(Role.HR_MANAGER)
def close_establishment(establishment_id: int) -> ResponseReturnValue:
    return _confirmed_change("close", establishment_id)


@bp.post("/establishments/<int:establishment_id>/reopen")
@roles(Role.HR_MANAGER)
def reopen_establishment(establishment_id: int) -> ResponseReturnValue:
    return _confirmed_change("reopen", establishment_id)


def _chosen_month(picker: MonthForm, today: date) -> date | None:
    """The month from `?month=` (last month by default); None with the error on the picker."""
    raw = request.args.get("month")
    if raw is None:
        month = previous_month(today)
        picker.month.data = f"{month:%Y-%m}"
        return month
    try:
        return ended_month(parse_month(raw), today)
    except ServiceError as error:
        show_service_error(picker, error)
        return None


@bp.route("/establishments/<int:establishment_id>/figures", methods=["GET", "POST"])
@roles(Role.HR_MANAGER)
def edit_figures(establishment_id: int) -> ResponseReturnValue:
    session, actor = db.session(), current_actor()
    establishment = service.get_establishment(session, actor, establishment_id)
    types = employment_types_for(establishment.organization.sector)
    picker = MonthForm(formdata=request.args)
    today = establishment.organization.today()
    month = _chosen_month(picker, today)
    recent = list(months_ending(today, HISTORY_MONTHS))
    figures = monthly_figures(
        session, establishment.organization_id, [*recent, *([month] if month else [])]
    ).establishment(establishment.id)
    if month is not None and request.method == "GET":
        form = figures_form(types, data={k.value: v for k, v in figures.recorded(month).items()})
    else:
        form = figures_form(types)
    if month is not None and form.validate_on_submit():
        counts = {kind.value: form[kind.value].data for kind in types}
        try:
            changes = record_monthly_figures(session, actor, establishment.id, month, counts)
        except (NotFound, PermissionDenied):
            raise
        except ServiceError as error:
            # Not `service_call`: a wrong month belongs to the month picker, another form.
            session.rollback()
            show_service_error(picker if error.field == "month" else form, error)
        else:
            label = format_date(month, "MMMM yyyy")
            if changes:
                flash(_("The figures for %(month)s are saved.", month=label), "success")
            else:
                flash(_("Nothing changed in the figures for %(month)s.", month=label), "info")
            return redirect(
                url_for(
                    "organizations.edit_figures",
                    establishment_id=establishment_id,
                    month=f"{month:%Y-%m}",
                )
            )
    return render_template(
        "organizations/figures.html",
        establishment=establishment,
        month=month,
        picker=picker,
        form=form,
        types=types,
        labels=EMPLOYMENT_TYPE_LABELS,
        figures=figures,
        recent=list(reversed(recent)),
    ), 422 if form.errors or picker.errors else 200
