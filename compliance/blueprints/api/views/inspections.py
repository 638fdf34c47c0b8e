"""API routes for labour inspectors: the dashboard, an organisation's file, reviews and cases.

The same services and permissions as the inspection pages: the dashboard is the inspectors'
(like `/inspections`), the rest also the admins'. The dashboard pages as its page does (`page`,
50 rows ranked by gap), not by cursor: the ranking moves as organisations file, so a cursor
would promise an order that does not hold, and the page's total and headline go with its
numbering. Counts of people under 5 are suppressed exactly as the pages print them.
"""

from __future__ import annotations

from flask import request
from spectree import Response as Answers

from compliance.blueprints.api import bp, spec
from compliance.blueprints.api.gate import current_api_user, token_required
from compliance.blueprints.api.idempotency import idempotent
from compliance.blueprints.api.schemas.hr import ResultOut
from compliance.blueprints.api.schemas.inspections import (
    CaseBrief,
    CaseEventOut,
    CaseIn,
    CaseOut,
    DashboardOut,
    DashboardQuery,
    DashboardRowOut,
    EscalationIn,
    EstablishmentBrief,
    HeadlineOut,
    OrganizationFileOut,
    PeopleCount,
    PeriodRecordOut,
    ReferralActivityOut,
    ReviewIn,
    ReviewList,
    ReviewOut,
    RosterCountsOut,
)
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.models.inspections import DeclarationReview, InspectionCase
from compliance.services.declarations.status import PeriodStatus, all_periods
from compliance.services.inspections import catch_up
from compliance.services.inspections.cases import escalate_case, get_case, is_before_deadline
from compliance.services.inspections.cases import open_case as open_case_
from compliance.services.inspections.dashboard import (
    dashboard,
    is_suppressed,
    regency_codes,
    suppressed,
)
from compliance.services.inspections.filters import parse_filters
from compliance.services.inspections.organization import (
    check_inspector,
    get_organization_in_reach,
    organization_file,
)
from compliance.services.inspections.review import (
    accept_declaration,
    request_correction,
    reviews_of,
)

INSPECTORS = (Role.INSPECTOR, Role.ADMIN)
TAGS = ["Labour inspectors"]


def _people(value: int | None) -> PeopleCount:
    hidden = value is None or is_suppressed(value)
    return PeopleCount(count=None if hidden else value, shown=suppressed(value))


@bp.get("/inspections/organizations")
@token_required(Role.INSPECTOR)
@spec.validate(query=DashboardQuery, resp=Answers(HTTP_200=DashboardOut), tags=TAGS)
def list_organizations() -> DashboardOut:
    """The organisations with an establishment in your provinces, largest gap first, with the
    dashboard's filters and headline figures. Each row names the reporting year it ranks."""
    session = db.session()
    provinces = current_api_user().reach().province_codes
    filters = parse_filters(request.args, regency_codes(session, provinces))
    catch_up(session)  # as the page: organisations changed since the last look are refreshed
    board = dashboard(session, filters, provinces)
    h = board.headline
    return DashboardOut(
        items=[
            DashboardRowOut(
                organization_id=row.organization_id,
                name=row.name,
                nib=row.nib,
                sector=row.sector,  # type: ignore[arg-type]
                headcount=row.headcount,
                required=_people(row.required),
                counted=_people(row.counted),
                gap=row.gap if row.gap >= 0 else None,
                status=row.record_key,
                has_declared=row.has_declared,
                review_outcome=row.review_outcome,  # type: ignore[arg-type]
                flags=list(row.flags),
                due_year=row.due_year,
                months_complete=row.months_complete,
            )
            for row in board.rows
        ],
        page=filters.page,
        pages=board.pages,
        total=board.total,
        headline=HeadlineOut(
            organizations=h.organizations,
            compliant=h.compliant,
            compliant_percent=h.compliant_percent,
            required=_people(h.required),
            counted=_people(h.counted),
            overdue=h.overdue,
        ),
    )


def _period(status: PeriodStatus) -> PeriodRecordOut:
    return PeriodRecordOut(
        year=status.year,
        due_on=status.due_on,
        standing=status.standing.value,
        days_left=status.days_left,
        months_complete=status.months_complete,
        months_total=status.months_total,
        result=ResultOut(
            status=status.result.status,  # type: ignore[arg-type]
            required=status.result.required,
            counted=status.result.counted,
            gap=status.result.gap,
        ),
        declaration_id=status.declaration_id,
        submitted_on=status.submitted_on,
        follow_up=status.follow_up.value if status.follow_up else None,
    )


def _review(r: DeclarationReview) -> ReviewOut:
    return ReviewOut(
        id=r.id,
        declaration_id=r.declaration_id,
        outcome=r.outcome,
        message=r.message,
        reviewed_at=r.created_at,
    )


@bp.get("/inspections/organizations/<int:organization_id>")
@token_required(*INSPECTORS)
@spec.validate(resp=Answers(HTTP_200=OrganizationFileOut, HTTP_404=None), tags=TAGS)
def read_organization_file(organization_id: int) -> OrganizationFileOut:
    """An organisation's file: establishments, the status of record of every period (the one
    every page shows), counts of who counts this month, referrals, reviews and cases. No
    employee is named."""
    session = db.session()
    file = organization_file(session, current_api_user(), organization_id)
    o, roster, referrals = file.organization, file.roster, file.referrals
    return OrganizationFileOut(
        id=o.id,
        name=o.name,
        nib=o.nib,
        npwp=o.npwp,
        sector=o.sector,
        head_office_regency_code=o.head_office_regency_code,
        establishments=[
            EstablishmentBrief(
                id=e.id,
                name=e.name,
                regency_code=e.regency_code,
                is_head_office=e.is_head_office,
                is_open=e.is_open,
            )
            for e in file.establishments
        ],
        periods=[_period(status) for status in all_periods(session, o)],
        roster=RosterCountsOut(
            month=roster.month,
            counted=roster.counted,
            unverified=roster.unverified,
            not_counted=roster.not_counted,
            by_category=dict(roster.by_category),
        ),
        referrals=ReferralActivityOut(
            requests=referrals.requests,
            positions=referrals.positions,
            proposed=referrals.proposed,
            introduced=referrals.introduced,
            hired=referrals.hired,
            not_hired=referrals.not_hired,
        ),
        reviews=[_review(r) for r in file.reviews],
        cases=[
            CaseBrief(
                id=c.id,
                declaration_id=c.declaration_id,
                stage=c.stage,
                deadline_on=c.deadline_on,
                opened_at=c.created_at,
            )
            for c in file.cases
        ],
    )


# --- reviews ---------------------------------------------------------------------------------


@bp.get("/inspections/organizations/<int:organization_id>/reviews")
@token_required(*INSPECTORS)
@spec.validate(resp=Answers(HTTP_200=ReviewList, HTTP_404=None), tags=TAGS)
def list_reviews(organization_id: int) -> ReviewList:
    """Every review of the organisation's declarations, newest first."""
    session = db.session()
    check_inspector(current_api_user())
    get_organization_in_reach(session, organization_id)
    return ReviewList(items=[_review(r) for r in reviews_of(session, organization_id)])


@bp.post("/inspections/declarations/<int:declaration_id>/reviews")
@token_required(*INSPECTORS, write=True)
@idempotent
@spec.validate(json=ReviewIn, resp=Answers(HTTP_201=ReviewOut, HTTP_404=None), tags=TAGS)
def record_review(declaration_id: int) -> tuple[ReviewOut, int]:
    """Accept the latest submitted version of a declaration, or ask for a correction (the HR
    managers are e-mailed the message)."""
    body: ReviewIn = request.context.json  # type: ignore[attr-defined]
    session, user = db.session(), current_api_user()
    if body.outcome == "accepted":
        review = accept_declaration(session, user, declaration_id)
    else:
        review = request_correction(session, user, declaration_id, body.message)
    return _review(review), 201


# --- cases -----------------------------------------------------------------------------------


def _case(case: InspectionCase) -> CaseOut:
    return CaseOut(
        id=case.id,
        organization_id=case.organization_id,
        declaration_id=case.declaration_id,
        finding=case.finding,
        stage=case.stage,
        deadline_on=case.deadline_on,
        is_before_deadline=is_before_deadline(case, case.organization.today()),
        events=[
            CaseEventOut(
                id=e.id,
                kind=e.kind,
                note=e.note,
                early_reason=e.early_reason,
                deadline_on=e.deadline_on,
                actor=e.actor_label,
                at=e.created_at,
            )
            for e in case.events
        ],
    )


@bp.get("/inspections/cases/<int:case_id>")
@token_required(*INSPECTORS)
@spec.validate(resp=Answers(HTTP_200=CaseOut, HTTP_404=None), tags=TAGS)
def read_case(case_id: int) -> CaseOut:
    """A case with its timeline (notas, responses, reminders, deadlines)."""
    check_inspector(current_api_user())
    return _case(get_case(db.session(), case_id))


@bp.post("/inspections/declarations/<int:declaration_id>/cases")
@token_required(*INSPECTORS, write=True)
@idempotent
@spec.validate(json=CaseIn, resp=Answers(HTTP_201=CaseOut, HTTP_404=None), tags=TAGS)
def open_case(declaration_id: int) -> tuple[CaseOut, int, dict[str, str]]:
    """Record a finding on the latest submitted declaration: nota pemeriksaan I is issued with
    its deadline, and the HR managers are told."""
    body: CaseIn = request.context.json  # type: ignore[attr-defined]
    case = open_case_(
        db.session(), current_api_user(), declaration_id, body.finding, body.deadline_on
    )
    return _case(case), 201, {"Location": f"{bp.url_prefix}/inspections/cases/{case.id}"}


@bp.post("/inspections/cases/<int:case_id>/escalate")
@token_required(*INSPECTORS, write=True)
@idempotent
@spec.validate(json=EscalationIn, resp=Answers(HTTP_200=CaseOut, HTTP_404=None), tags=TAGS)
def escalate(case_id: int) -> CaseOut:
    """Nota I to nota II (with a new deadline), nota II to a referral for investigation. It
    cannot be taken back; before the current deadline has passed, only with a `reason`. Send
    an `Idempotency-Key` so a retry does not escalate twice."""
    body: EscalationIn = request.context.json  # type: ignore[attr-defined]
    session, user = db.session(), current_api_user()
    check_inspector(user)
    get_case(session, case_id)  # 404 outside reach, before anything else
    case = escalate_case(session, user, case_id, body.note, body.deadline_on, reason=body.reason)
    return _case(case)
