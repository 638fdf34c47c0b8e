"""Views for filing declarations: list the periods, open a draft, save, submit, correct."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from compliance.access import current_actor, roles
from compliance.blueprints.declarations import bp
from compliance.blueprints.declarations.forms import CorrectionForm, DraftForm, OpenForm
from compliance.blueprints.forms import confirmation, is_confirmed, service_call
from compliance.extensions import db
from compliance.labels import DECLARATION_STATUS_LABELS
from compliance.labels import QUOTA_STATUS_LABELS as STATUS_LABELS
from compliance.models.accounts import Role
from compliance.models.declarations import Declaration, ReportingPeriod
from compliance.services import declarations as service
from compliance.services.dates import organization_today
from compliance.services.declarations.filing import own_organization
from compliance.services.declarations.people import (
    PartsSum,
    PeriodInPeople,
    in_people,
    parts_sum,
)
from compliance.services.declarations.periods import period_months
from compliance.services.declarations.status import all_periods, declared_result
from compliance.services.receipts import (
    get_submitted_declaration,
    receipt_filename,
    receipt_pdf,
    receipt_xlsx,
    record_receipt_download,
)

RECEIPT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _lang() -> str:
    return "id" if str(get_locale()) == "id" else "en"


def _list_page(form: OpenForm) -> ResponseReturnValue:
    session = db.session()
    organization = own_organization(session, current_actor())
    periods = session.scalars(
        select(ReportingPeriod)
        .where(ReportingPeriod.organization_id == organization.id)
        .order_by(ReportingPeriod.starts_on.desc())
    ).all()
    return render_template(
        "declarations/list.html",
        periods=periods,
        standings=all_periods(session, organization),
        form=form,
        labels=DECLARATION_STATUS_LABELS,
    ), 422 if form.errors else 200


@bp.get("/declarations")
@roles(Role.HR_MANAGER)
def list_declarations() -> ResponseReturnValue:
    year = organization_today(db.session(), current_actor().organization_id or 0).year - 1
    form = OpenForm(formdata=None, year=year)
    return _list_page(form)


@bp.post("/declarations")
@roles(Role.HR_MANAGER)
def open_declaration() -> ResponseReturnValue:
    form = OpenForm()
    if form.validate_on_submit():
        with service_call(form) as call:
            declaration = service.open_declaration(db.session(), current_actor(), form.year.data)
        if call.ok:
            return redirect(url_for("declarations.show_declaration", declaration_id=declaration.id))
    return _list_page(form)


def _stored_views(data: dict[str, Any], name: str) -> dict[str, object]:
    """What the declaration stored, restated in whole people, with its regional rules."""
    entity = data.get("entity") or {}
    people = in_people(entity)
    establishments = [
        (e["name"], e["result"], in_people(e["result"])) for e in data.get("establishments", [])
    ]
    provinces = [
        (p["name"], p["result"], in_people(p["result"])) for p in data.get("provinces", [])
    ]
    return {
        "people": people,
        "entity_rows": [(name, entity, people)],
        "establishment_rows": establishments,
        "province_rows": provinces,
        "regional": [(o, in_people(o)) for o in data.get("overlays", [])],
        "parts": _period_parts(people, establishments),
    }


def _period_parts(
    people: PeriodInPeople | None, rows: list[tuple[str, Any, PeriodInPeople | None]]
) -> PartsSum | None:
    """Entity against establishments, where every month asked the same of each: an average
    of months that asked different numbers is no number of people to add up."""
    parts = [(name, p) for name, _result, p in rows if p is not None]
    if people is None or not people.is_uniform or not all(p.is_uniform for _n, p in parts):
        return None
    return parts_sum(
        people.required_high,
        None,
        [(name, None, p.required_high) for name, p in parts],
        people.rounding_pack_id,
    )


def _confirm_submission(filed: Declaration) -> ResponseReturnValue:
    """The submission ran as a dry run (every check passed): say what would be filed, roll
    it back, and let the user confirm."""
    result = declared_result(filed.data)
    period, number, declaration_id = filed.period.label, filed.number, filed.id
    db.session.rollback()
    what = [
        _(
            "Version %(number)d of the declaration for %(period)s is filed with these figures:",
            number=number,
            period=period,
        )
        + " "
        + (
            ngettext(
                "%(num)d person required, %(counted)d counted, %(gap)d missing.",
                "%(num)d people required, %(counted)d counted, %(gap)d missing.",
                result.required,
                counted=result.counted,
                gap=result.gap,
            )
            if result.required is not None and result.counted is not None and result.gap is not None
            else _("no result in whole people.")
        ),
        _(
            "Once submitted it can never be changed. A mistake is corrected by filing a new "
            "version with a reason; every version stays on record."
        ),
        _(
            "Labour inspectors of the provinces where you have establishments see it and may "
            "review it."
        ),
    ]
    return confirmation(
        title=_("Submit the declaration for %(period)s?", period=period),
        what_happens=what,
        confirm_label=_("Yes, submit the declaration"),
        cancel_url=url_for("declarations.show_declaration", declaration_id=declaration_id),
    )


def _page(
    declaration: Declaration,
    draft_form: DraftForm | None = None,
    correction_form: CorrectionForm | None = None,
) -> ResponseReturnValue:
    if draft_form is None:
        draft_form = DraftForm(formdata=None, note=declaration.note)
    draft_form.revision.data = str(declaration.revision)
    correction_form = correction_form or CorrectionForm(formdata=None)
    failed = draft_form.errors or correction_form.errors
    return render_template(
        "declarations/show.html",
        declaration=declaration,
        period=declaration.period,
        data=declaration.data,
        form=draft_form,
        correction_form=correction_form,
        status_labels=STATUS_LABELS,
        labels=DECLARATION_STATUS_LABELS,
        lang=_lang(),
        months_total=len(period_months(declaration.period)),
        **_stored_views(declaration.data, own_organization(db.session(), current_actor()).name),
    ), 422 if failed else 200


@bp.get("/declarations/<int:declaration_id>")
@roles(Role.HR_MANAGER)
def show_declaration(declaration_id: int) -> ResponseReturnValue:
    return _page(service.get_declaration(db.session(), current_actor(), declaration_id))


def _revision(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@bp.post("/declarations/<int:declaration_id>")
@roles(Role.HR_MANAGER)
def update_declaration(declaration_id: int) -> ResponseReturnValue:
    """Save the note, recompute, or submit, depending on the button pressed."""
    session, actor = db.session(), current_actor()
    declaration = service.get_declaration(session, actor, declaration_id)
    form = DraftForm()
    action = request.form.get("action", "save")
    if form.validate_on_submit():
        revision = _revision(form.revision.data)
        with service_call(form) as call:
            if action == "submit":
                filed = service.submit_declaration(
                    session, actor, declaration_id, revision, form.note.data
                )
                if not is_confirmed():
                    return _confirm_submission(filed)
                message = _("The declaration is submitted. It can no longer be changed.")
            elif action == "recompute":
                service.recompute_declaration(session, actor, declaration_id, revision)
                message = _("The draft is recomputed from the current figures.")
            else:
                service.save_declaration(session, actor, declaration_id, revision, form.note.data)
                message = _("The draft is saved.")
        if call.ok:
            flash(message, "success")
            return redirect(url_for("declarations.show_declaration", declaration_id=declaration_id))
        declaration = service.get_declaration(session, actor, declaration_id)
    return _page(declaration, draft_form=form)


@bp.post("/declarations/<int:declaration_id>/correct")
@roles(Role.HR_MANAGER)
def correct_declaration(declaration_id: int) -> ResponseReturnValue:
    session, actor = db.session(), current_actor()
    declaration = service.get_declaration(session, actor, declaration_id)
    form = CorrectionForm()
    if form.validate_on_submit():
        with service_call(form) as call:
            correction = service.correct_declaration(
                session, actor, declaration_id, form.reason.data
            )
        if call.ok:
            flash(_("A new draft version is open. Review it and submit it."), "success")
            return redirect(url_for("declarations.show_declaration", declaration_id=correction.id))
        declaration = service.get_declaration(session, actor, declaration_id)
    return _page(declaration, correction_form=form)


def _receipt(declaration_id: int, file_format: str) -> ResponseReturnValue:
    """The filed declaration as a file; each copy handed out is audited."""
    session, actor = db.session(), current_actor()
    declaration = get_submitted_declaration(session, actor, declaration_id)
    body = receipt_pdf(declaration) if file_format == "pdf" else receipt_xlsx(declaration)
    name = receipt_filename(declaration, file_format)
    record_receipt_download(session, actor, declaration, file_format)
    response = Response(body, content_type=RECEIPT_TYPES[file_format])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/declarations/<int:declaration_id>/receipt.pdf")
@roles(Role.HR_MANAGER)
def download_receipt_pdf(declaration_id: int) -> ResponseReturnValue:
    return _receipt(declaration_id, "pdf")


@bp.get("/declarations/<int:declaration_id>/receipt.xlsx")
@roles(Role.HR_MANAGER)
def download_receipt_xlsx(declaration_id: int) -> ResponseReturnValue:
    return _receipt(declaration_id, "xlsx")
