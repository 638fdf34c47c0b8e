"""Case pages: the inspector's (escalate, close) and the HR manager's (read, respond)."""

from __future__ import annotations

import io

from flask import flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from compliance.access import current_actor, roles
from compliance.blueprints.forms import confirmation, is_confirmed, service_call
from compliance.blueprints.inspections import bp
from compliance.blueprints.inspections.forms import CloseForm, EscalateForm, ResponseForm
from compliance.extensions import db
from compliance.labels import INSPECTION_TEMPLATE_LABELS, REVIEW_LABELS, STAGE_LABELS
from compliance.models.accounts import Role
from compliance.models.inspections import CaseStage, DeclarationReview, InspectionCase
from compliance.services.inspections.cases import (
    close_case,
    escalate_case,
    get_case,
    is_before_deadline,
)
from compliance.services.inspections.letters import letters_by_event
from compliance.services.inspections.notify import HR_PATH
from compliance.services.inspections.organization import check_inspector
from compliance.services.inspections.responses import (
    Upload,
    cases_of,
    get_attachment,
    open_cases_for_organization,
    respond_to_case,
)
from compliance.services.inspections.review import reviews_of

INSPECTORS = (Role.INSPECTOR, Role.ADMIN)


def _case_page(case_id: int, status: int = 200, **forms: object) -> ResponseReturnValue:
    case = get_case(db.session(), case_id)
    is_hr = current_actor().role is Role.HR_MANAGER
    defaults: dict[str, object] = (
        {"response_form": ResponseForm(formdata=None)}
        if is_hr
        else {
            "escalate_form": EscalateForm(formdata=None, prefix="escalate"),
            "close_form": CloseForm(formdata=None, prefix="close"),
        }
    )
    defaults.update(forms)
    return render_template(
        "inspections/case.html",
        case=case,
        is_hr=is_hr,
        before_deadline=is_before_deadline(case, case.organization.today()),
        letters=letters_by_event(db.session(), case.id),
        **INSPECTION_TEMPLATE_LABELS,
        **defaults,
    ), status


@bp.get("/inspections/cases/<int:case_id>")
@roles(*INSPECTORS)
def show_case(case_id: int) -> ResponseReturnValue:
    check_inspector(current_actor())
    return _case_page(case_id)


@bp.route("/inspections/cases/<int:case_id>/escalate", methods=["GET", "POST"])
@roles(*INSPECTORS)
def escalate(case_id: int) -> ResponseReturnValue:
    get_case(db.session(), case_id)  # 404 outside reach, before anything else
    if request.method == "GET":  # e.g. switching the language after a failed POST
        return redirect(url_for("inspections.show_case", case_id=case_id))
    form = EscalateForm(prefix="escalate")
    if form.validate_on_submit():
        with service_call(form) as call:
            case = escalate_case(
                db.session(),
                current_actor(),
                case_id,
                form.note.data,
                form.deadline_on.data,
                reason=form.reason.data,
            )
            if not is_confirmed():
                return _confirm_escalation(case)
        if call.ok:
            flash(_("The case is escalated."), "success")
            return redirect(url_for("inspections.show_case", case_id=case_id))
    return _case_page(case_id, 422, escalate_form=form)


def _confirm_escalation(case: InspectionCase) -> ResponseReturnValue:
    """The escalation ran as a dry run: say what it does, roll it back, let the inspector
    confirm (a nota or a referral cannot be taken back)."""
    stage, deadline, name = case.stage, case.deadline_on, case.organization.name
    case_id = case.id
    db.session.rollback()
    if stage is CaseStage.NOTA_2:
        first = _(
            "Nota pemeriksaan II is issued to %(name)s with the deadline %(date)s.",
            name=name,
            date=format_date(deadline, "long") if deadline else "—",
        )
        title = _("Issue nota pemeriksaan II to %(name)s?", name=name)
    else:
        first = _("The case of %(name)s is referred for investigation.", name=name)
        title = _("Refer %(name)s for investigation?", name=name)
    return confirmation(
        title=title,
        what_happens=[
            first,
            _("The organisation's HR managers are told by e-mail and see it on their case page."),
            _("This step is recorded in the audit trail and cannot be taken back."),
        ],
        confirm_label=_("Yes, escalate the case"),
        cancel_url=url_for("inspections.show_case", case_id=case_id),
    )


@bp.route("/inspections/cases/<int:case_id>/close", methods=["GET", "POST"])
@roles(*INSPECTORS)
def close(case_id: int) -> ResponseReturnValue:
    get_case(db.session(), case_id)
    if request.method == "GET":
        return redirect(url_for("inspections.show_case", case_id=case_id))
    form = CloseForm(prefix="close")
    if form.validate_on_submit():
        with service_call(form) as call:
            close_case(db.session(), current_actor(), case_id, form.note.data)
        if call.ok:
            flash(_("The case is closed."), "success")
            return redirect(url_for("inspections.show_case", case_id=case_id))
    return _case_page(case_id, 422, close_form=form)


@bp.get(HR_PATH)
@roles(Role.HR_MANAGER)
def hr_overview() -> ResponseReturnValue:
    organization_id = current_actor().organization_id
    assert organization_id is not None  # HR managers always belong to an organisation
    return render_template(
        "inspections/hr_overview.html",
        reviews=reviews_of(db.session(), organization_id),
        cases=cases_of(db.session(), organization_id),
        open_cases=open_cases_for_organization(db.session(), current_actor()),
        **INSPECTION_TEMPLATE_LABELS,
    )


@bp.route(f"{HR_PATH}/cases/<int:case_id>", methods=["GET", "POST"])
@roles(Role.HR_MANAGER)
def hr_case(case_id: int) -> ResponseReturnValue:
    get_case(db.session(), case_id)
    if request.method == "GET":
        return _case_page(case_id)
    form = ResponseForm()
    if form.validate_on_submit():
        uploads = [
            Upload(f.filename or "attachment", f.read())
            for f in request.files.getlist(form.files.name)
            if f and f.filename
        ]
        with service_call(form) as call:
            respond_to_case(db.session(), current_actor(), case_id, form.note.data, uploads)
        if call.ok:
            flash(_("Your response is sent to the inspector."), "success")
            return redirect(url_for("inspections.hr_case", case_id=case_id))
    return _case_page(case_id, 422, response_form=form)


@bp.get("/inspections/attachments/<int:attachment_id>")
@roles(Role.HR_MANAGER, *INSPECTORS)
def download_attachment(attachment_id: int) -> ResponseReturnValue:
    attachment, data = get_attachment(db.session(), attachment_id)
    return send_file(
        io.BytesIO(data),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.filename,
    )


@bp.app_context_processor
def _review_helpers() -> dict[str, object]:
    """Lets the HR manager's declaration page show the inspector's reviews of it
    (`inspections/_declaration_reviews.html`), read within the request's reach, and any HR
    page name a case's stage (`inspections/_open_cases.html`)."""

    def inspection_reviews(declaration_id: int) -> list[DeclarationReview]:
        return list(
            db.session.scalars(
                select(DeclarationReview)
                .where(DeclarationReview.declaration_id == declaration_id)
                .order_by(DeclarationReview.id.desc())
            )
        )

    return {
        "inspection_reviews": inspection_reviews,
        "review_labels": REVIEW_LABELS,
        "stage_labels": STAGE_LABELS,
    }
