"""What goes into an evidence pack, gathered once so the PDF, the XLSX and the manifest agree.

The figures are those of the period's latest *submitted* declaration (what was filed, frozen),
or, when nothing was filed, computed now from the current data and labelled as such. The roster
is pseudonymised unless the inspector asked for names with a reason: a keyed hash of the
employee id, so the same person has the same pseudonym in every pack of this server and nobody
without the server's secret can reverse it.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.labels import both
from compliance.models.declarations import ReportingPeriod
from compliance.models.organizations import Organization
from compliance.services import NotFound, ServiceError, settings
from compliance.services.declarations import compute
from compliance.services.declarations.periods import checked_year, ended, year_months
from compliance.services.declarations.roster_facts import RosterPerson, roster_people
from compliance.services.declarations.status import PeriodStatus, period_status
from compliance.services.inspections.letters import PackLetter, pack_letters

ROSTER_COLUMNS = (
    "Referensi (Reference)",
    "Nama (Name)",
    "Tempat kerja (Establishment)",
    "Jenis hubungan kerja (Employment type)",
    "Mulai (Start)",
    "Selesai (End)",
    "Ragam disabilitas (Categories)",
    "Bukti (Evidence)",
    "Verifikasi (Verification)",
    "Bulan dihitung (Months counted)",
)


@dataclass(frozen=True)
class PackContent:
    organization: Organization
    year: int
    months: tuple[date, ...]
    data: dict[str, Any]
    is_filed: bool
    declarations: tuple[dict[str, Any], ...]
    roster: tuple[tuple[Any, ...], ...]
    include_names: bool
    generated_at: datetime
    #: The period's status of record, as every page shows it (services.declarations.status).
    record: PeriodStatus
    #: The nota letters issued on the period's declarations, carried in the pack as issued.
    letters: tuple[PackLetter, ...] = ()


def pseudonym(organization_id: int, employee_id: int) -> str:
    key = settings().secret_key.encode()
    digest = hmac.new(key, f"{organization_id}:{employee_id}".encode(), hashlib.sha256)
    return "P-" + digest.hexdigest()[:12].upper()


def _roster_row(
    person: RosterPerson,
    organization_id: int,
    months: tuple[date, ...],
    names: bool,
    sites: dict[int, str],
) -> tuple[Any, ...]:
    details = person.details
    return (
        person.employee_number if names else pseudonym(organization_id, person.employee_id),
        person.name if names else "",
        sites.get(person.establishment_id, ""),
        both(person.employment_type),
        person.start_date.isoformat(),
        person.end_date.isoformat() if person.end_date else "",
        ", ".join(both(c) for c in details.categories) if details else "",
        both(details.evidence_type) if details and details.evidence_type else "",
        both(details.verification_state) if details else "tanpa persetujuan (no consent)",
        sum(1 for m in months if person.reason_in(m).counts),
    )


#: What a pack shows of a person's details: never the accommodation or the evidence number,
#: which are then not even decrypted for it.
PACK_DETAILS = (
    "disability_categories",
    "evidence_type",
    "evidence_date",
    "evidence_expires_on",
    "verification_state",
    "verified_at",
)


def roster_for_pack(session: Session, organization_id: int) -> list[RosterPerson]:
    """The roster as the quota reads it (`roster_people`, the one consent-gated reader),
    minus what a pack never shows."""
    return roster_people(session, organization_id, detail_columns=PACK_DETAILS)


def gather(
    session: Session,
    organization_id: int,
    year: int,
    *,
    named: set[int] | None,
    now: datetime,
    today: date | None = None,
) -> PackContent:
    """Everything one pack shows, read within the session's reach. People of the establishments
    in `named` (None: all) appear with their names; everyone else under a pseudonym."""
    include_names = named is None or bool(named)
    organization = session.scalar(select(Organization).where(Organization.id == organization_id))
    if organization is None:
        raise NotFound(_("Organisation not found."))
    today = today or organization.today()
    year = checked_year(year, today)
    period = session.scalar(
        select(ReportingPeriod).where(
            ReportingPeriod.organization_id == organization_id,
            ReportingPeriod.starts_on == date(year, 1, 1),
        )
    )
    versions = list(period.declarations) if period else []
    filed = [d for d in versions if d.is_submitted]
    months = ended(year_months(year), today)  # only months that are over are counted
    if filed or not months:
        # Filed: what was filed. No month over yet (January): nothing to compute, the pack
        # carries the status of record and the roster only.
        data = filed[-1].data if filed else {"months": [], "missing": [], "packs": []}
        people = tuple(roster_for_pack(session, organization_id))
    else:
        try:
            computation = compute(session, organization, months, label=str(year), today=today)
        except ServiceError as error:
            raise ServiceError(error.message, field="year") from None
        data, people = computation.to_data(), computation.people  # the roster, read once
    sites = {e.id: e.name for e in organization.establishments}
    return PackContent(
        organization=organization,
        year=year,
        months=months,
        data=data,
        is_filed=bool(filed),
        declarations=tuple(
            {
                "id": d.id,
                "version": d.number,
                "status": d.status.value,
                "submitted_at": d.submitted_at.isoformat() if d.submitted_at else None,
                "corrects_version": d.corrects.number if d.corrects else None,
                "input_sha256": d.input_sha256,
                "receipt_number": d.receipt_number,
            }
            for d in versions
        ),
        roster=tuple(
            _roster_row(
                p, organization_id, months, named is None or p.establishment_id in named, sites
            )
            for p in people
        ),
        include_names=include_names,
        generated_at=now,
        record=period_status(session, organization, year, today=today),
        letters=pack_letters(session, [d.id for d in versions], organization.zone),
    )
