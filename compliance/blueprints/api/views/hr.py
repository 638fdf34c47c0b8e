"""API routes for HR managers: the organisation, its establishments, monthly figures and the
status of record of a reporting period. Each route parses, calls one service, and answers;
permissions, tenant reach and every rule stay in the services the pages use."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from flask import Response, request
from flask_babel import get_locale
from flask_babel import gettext as _
from spectree import Response as Answers

from compliance.blueprints.api import bp, spec
from compliance.blueprints.api.gate import current_api_user, token_required
from compliance.blueprints.api.idempotency import idempotent
from compliance.blueprints.api.problems import FieldError, Problem
from compliance.blueprints.api.schemas.common import CursorQuery
from compliance.blueprints.api.schemas.hr import (
    EstablishmentIn,
    EstablishmentOut,
    EstablishmentPage,
    ExplanationLineOut,
    FiguresBatchIn,
    FiguresBatchOut,
    FiguresIn,
    FiguresOut,
    OrganizationOut,
    PeriodList,
    PeriodStatusOut,
    ResultOut,
)
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.models.organizations import Establishment
from compliance.services import NotFound, ServiceError
from compliance.services.declarations.filing import get_declaration, own_organization
from compliance.services.declarations.gap import gap_overview
from compliance.services.declarations.periods import FIRST_YEAR
from compliance.services.declarations.status import (
    PeriodStatus,
    Standing,
    all_periods,
    period_status,
)
from compliance.services.establishments import (
    EstablishmentDetails,
    add_establishment,
    close_establishment,
    establishments_page,
    get_establishment,
    reopen_establishment,
    update_establishment,
)
from compliance.services.workforce import (
    FiguresEntry,
    counts_field,
    establishment_month,
    record_many_figures,
    record_monthly_figures,
)

HR = Role.HR_MANAGER
TAGS = ["HR managers"]


def _establishment(e: Establishment) -> EstablishmentOut:
    return EstablishmentOut(
        id=e.id,
        name=e.name,
        regency_code=e.regency_code,
        address=e.address,
        is_head_office=e.is_head_office,
        is_open=e.is_open,
        closed_at=e.closed_at,
        wlkp_number=e.wlkp_number,
        wlkp_registered_on=e.wlkp_registered_on,
    )


def _details(body: EstablishmentIn) -> EstablishmentDetails:
    return EstablishmentDetails(
        name=body.name,
        regency_code=body.regency_code,
        address=body.address,
        wlkp_number=body.wlkp_number,
        wlkp_registered_on=body.wlkp_registered_on,
    )


@bp.get("/organization")
@token_required(HR)
@spec.validate(resp=Answers(HTTP_200=OrganizationOut), tags=TAGS)
def read_organization() -> OrganizationOut:
    """Your organisation."""
    o = own_organization(db.session(), current_api_user())
    return OrganizationOut(
        id=o.id,
        name=o.name,
        nib=o.nib,
        npwp=o.npwp,
        sector=o.sector,
        head_office_regency_code=o.head_office_regency_code,
        wlkp_due_month=o.wlkp_due_month,
    )


@bp.get("/establishments")
@token_required(HR)
@spec.validate(query=CursorQuery, resp=Answers(HTTP_200=EstablishmentPage), tags=TAGS)
def list_establishments() -> EstablishmentPage:
    """Your organisation's establishments, closed ones too, in id order."""
    query: CursorQuery = request.context.query  # type: ignore[attr-defined]
    found = establishments_page(db.session(), current_api_user(), query.cursor, query.limit)
    return EstablishmentPage(
        items=[_establishment(e) for e in found.items], next_cursor=found.next_cursor
    )


@bp.post("/establishments")
@token_required(HR, write=True)
@idempotent
@spec.validate(json=EstablishmentIn, resp=Answers(HTTP_201=EstablishmentOut), tags=TAGS)
def add_establishment_() -> tuple[EstablishmentOut, int, dict[str, str]]:
    """Add an establishment (a workplace registered in WLKP)."""
    body: EstablishmentIn = request.context.json  # type: ignore[attr-defined]
    establishment = add_establishment(db.session(), current_api_user(), _details(body))
    location = f"{bp.url_prefix}/establishments/{establishment.id}"
    return _establishment(establishment), 201, {"Location": location}


@bp.get("/establishments/<int:establishment_id>")
@token_required(HR)
@spec.validate(resp=Answers(HTTP_200=EstablishmentOut, HTTP_404=None), tags=TAGS)
def read_establishment(establishment_id: int) -> EstablishmentOut:
    """One establishment."""
    return _establishment(get_establishment(db.session(), current_api_user(), establishment_id))


@bp.put("/establishments/<int:establishment_id>")
@token_required(HR, write=True)
@spec.validate(
    json=EstablishmentIn, resp=Answers(HTTP_200=EstablishmentOut, HTTP_404=None), tags=TAGS
)
def change_establishment(establishment_id: int) -> EstablishmentOut:
    """Replace an establishment's details; the same details again change nothing."""
    body: EstablishmentIn = request.context.json  # type: ignore[attr-defined]
    changed = update_establishment(
        db.session(), current_api_user(), establishment_id, _details(body)
    )
    return _establishment(changed)


@bp.post("/establishments/<int:establishment_id>/reopen")
@token_required(HR, write=True)
@idempotent
@spec.validate(resp=Answers(HTTP_200=EstablishmentOut, HTTP_404=None), tags=TAGS)
def reopen_establishment_(establishment_id: int) -> EstablishmentOut:
    """Reopen a closed establishment, so it takes figures again."""
    return _establishment(reopen_establishment(db.session(), current_api_user(), establishment_id))


@bp.post("/establishments/<int:establishment_id>/close")
@token_required(HR, write=True)
@idempotent
@spec.validate(resp=Answers(HTTP_200=EstablishmentOut, HTTP_404=None), tags=TAGS)
def close_establishment_(establishment_id: int) -> EstablishmentOut:
    """Close an establishment; its figures and history stay."""
    closed = close_establishment(db.session(), current_api_user(), establishment_id)
    return _establishment(closed)


# --- monthly figures ------------------------------------------------------------------------


def _month(text: str) -> date:
    year, _sep, month = text.partition("-")
    digits = text.isascii() and year.isdigit() and month.isdigit()
    if len(text) == 7 and digits and int(year) >= 1 and 1 <= int(month) <= 12:
        return date(int(year), int(month), 1)
    message = _("Enter the month as YYYY-MM, for example 2025-01.")
    raise Problem(422, "invalid", errors=[FieldError("month", message)])


def _etag(counts: dict[Any, int]) -> str:
    canonical = json.dumps({str(k): v for k, v in sorted(counts.items())}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _figures(establishment_id: int, month: date, counts: dict[Any, int]) -> Response:
    body = FiguresOut(establishment_id=establishment_id, month=f"{month:%Y-%m}", headcount=counts)
    response = Response(body.model_dump_json(), 200, mimetype="application/json")
    response.set_etag(_etag(counts))
    return response


@bp.get("/establishments/<int:establishment_id>/figures/<month>")
@token_required(HR)
@spec.validate(resp=Answers(HTTP_200=FiguresOut, HTTP_404=None), tags=TAGS)
def read_figures(establishment_id: int, month: str) -> Response:
    """An establishment's head counts for one month (`YYYY-MM`), with an `ETag`."""
    first = _month(month)
    counts = establishment_month(db.session(), current_api_user(), establishment_id, first)
    return _figures(establishment_id, first, counts)


@bp.put("/establishments/<int:establishment_id>/figures/<month>")
@token_required(HR, write=True)
@spec.validate(
    json=FiguresIn, resp=Answers(HTTP_200=FiguresOut, HTTP_404=None, HTTP_412=None), tags=TAGS
)
def record_figures(establishment_id: int, month: str) -> Response:
    """Record head counts for an ended month. Send `If-Match` with the `ETag` you read to make
    sure nobody changed them meanwhile (412 otherwise). Sending the same figures again
    changes nothing and records nothing."""
    first = _month(month)
    body: FiguresIn = request.context.json  # type: ignore[attr-defined]
    session, user = db.session(), current_api_user()
    if request.if_match:
        current = _etag(establishment_month(session, user, establishment_id, first))
        if not request.if_match.contains(current) and not request.if_match.star_tag:
            raise Problem(412, "precondition-failed", headers={"ETag": f'"{current}"'})
    counts = {kind.value: value for kind, value in body.headcount.items()}
    try:
        record_monthly_figures(session, user, establishment_id, first, counts)
    except NotFound:
        raise
    except ServiceError as error:
        raise ServiceError(error.message, field=counts_field(error)) from None
    return _figures(
        establishment_id, first, establishment_month(session, user, establishment_id, first)
    )


@bp.put("/figures")
@token_required(HR, write=True)
@spec.validate(json=FiguresBatchIn, resp=Answers(HTTP_200=FiguresBatchOut), tags=TAGS)
def record_many() -> FiguresBatchOut:
    """Record many establishments and months in one call (up to 1,000), all or nothing: a
    refused entry stops the batch and its error names it (`items.3.headcount.permanent`).
    Entries equal to what is stored change nothing and record nothing."""
    body: FiguresBatchIn = request.context.json  # type: ignore[attr-defined]
    changed, unchanged = record_many_figures(
        db.session(),
        current_api_user(),
        [
            FiguresEntry(
                item.establishment_id,
                _month(item.month),
                {kind.value: n for kind, n in item.headcount.items()},
            )
            for item in body.items
        ],
    )
    return FiguresBatchOut(changed=changed, unchanged=unchanged)


# --- the status of record -------------------------------------------------------------------


def _lines(lines: list[dict[str, Any]]) -> list[ExplanationLineOut]:
    lang = "id" if str(get_locale()) == "id" else "en"
    return [
        ExplanationLineOut(
            code=line["code"],
            text=line[f"text_{lang}"],
            source=line.get(f"source_{lang}"),
            is_product_default=bool(line.get("is_product_default")),
        )
        for line in lines
    ]


@bp.get("/periods")
@token_required(HR)
@spec.validate(resp=Answers(HTTP_200=PeriodList), tags=TAGS)
def list_periods() -> PeriodList:
    """Every reporting period your organisation is on record for, newest first, each with
    its status of record (the explanation lines are on each period's own route)."""
    session, user = db.session(), current_api_user()
    organization = own_organization(session, user)
    return PeriodList(items=[_period(status, []) for status in all_periods(session, organization)])


@bp.get("/periods/<int:year>")
@token_required(HR)
@spec.validate(resp=Answers(HTTP_200=PeriodStatusOut, HTTP_404=None), tags=TAGS)
def read_period(year: int) -> PeriodStatusOut:
    """Where your organisation stands for a reporting year: the status of record every page,
    export and e-mail shows, with the result in whole people and every line explained."""
    session, user = db.session(), current_api_user()
    organization = own_organization(session, user)
    if not FIRST_YEAR <= year <= organization.today().year + 1:
        raise Problem(404, "not-found")
    status = period_status(session, organization, year)
    lines: list[dict[str, Any]] = []
    if status.declaration_id is not None:
        declared = get_declaration(session, user, status.declaration_id)
        lines = list((declared.data.get("entity") or {}).get("lines", ()))
    elif status.standing in (Standing.OPEN, Standing.OVERDUE):
        period = gap_overview(session, user, year).period
        lines = [line.to_dict() for line in period.lines] if period else []
    return _period(status, _lines(lines))


def _period(status: PeriodStatus, explanation: list[ExplanationLineOut]) -> PeriodStatusOut:
    return PeriodStatusOut(
        organization_id=status.organization_id,
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
        explanation=explanation,
    )
