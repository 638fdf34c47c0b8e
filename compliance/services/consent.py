"""Consent for the roster's disability data (UU 27/2022 Pasal 20-26, 40).

Consent must be specific, in plain language and provable: each record names who gave it (the
employee or their guardian), how, when, and which version of the consent text they were shown.
The texts are data (`CONSENT_TEXTS`), never edited in place: a new wording is a new version, so
every record keeps pointing at exactly what the person agreed to.

A withdrawal hides the disability details at once (`roster.disability_details` returns nothing);
`purge_withdrawn`, run by the scheduled job or `flask roster purge-withdrawn`, deletes them.
"""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.accounts import User
from compliance.models.people import ConsentGiver, ConsentMethod, ConsentRecord, Employee
from compliance.services import ServiceError
from compliance.services.audit import record_event
from compliance.services.dates import organization_today
from compliance.services.disability import clear_disability_details
from compliance.services.roster import get_employee

#: Consent texts by version, then language. Add a version; never change a published one.
CONSENT_TEXTS: dict[str, dict[str, str]] = {
    "2026-11": {
        "id": (
            "Saya setuju perusahaan tempat saya bekerja mencatat ragam disabilitas saya, "
            "akomodasi yang saya terima, dan bukti disabilitas saya (jenis, nomor, tanggal) "
            "di Kuota Inklusi.\n\n"
            "Data ini hanya dipakai untuk menghitung dan melaporkan kuota pekerja penyandang "
            "disabilitas dan untuk memastikan saya mendapat akomodasi yang layak. Yang dicatat "
            "hanya ragam disabilitas, bukan diagnosis.\n\n"
            "Data ini disimpan terenkripsi. Hanya pengelola SDM perusahaan yang dapat "
            "melihatnya. Laporan ke pemerintah berisi jumlah pekerja, bukan nama saya.\n\n"
            "Saya boleh menarik persetujuan ini kapan saja, tanpa alasan. Setelah ditarik, data "
            "disabilitas saya langsung disembunyikan dan kemudian dihapus. Menarik persetujuan "
            "tidak mengubah pekerjaan atau hak saya."
        ),
        "en": (
            "I agree that the company I work for records my category of disability, the "
            "accommodation I receive, and my evidence of disability (type, number, date) in "
            "Kuota Inklusi.\n\n"
            "This data is used only to calculate and report the quota for employees with "
            "disabilities and to make sure I get reasonable accommodation. Only the category "
            "of disability is recorded, never a diagnosis.\n\n"
            "The data is stored encrypted. Only the company's HR managers can see it. Reports "
            "to the government contain numbers of employees, not my name.\n\n"
            "I may withdraw this consent at any time, without giving a reason. After I withdraw "
            "it, my disability data is hidden at once and then deleted. Withdrawing consent "
            "does not change my job or my rights."
        ),
    },
}
CURRENT_CONSENT_VERSION = "2026-11"


def consent_text(locale: str, version: str = CURRENT_CONSENT_VERSION) -> str:
    texts = CONSENT_TEXTS[version]
    return texts.get(locale, texts["id"])


def record_consent(
    session: Session,
    actor: User,
    employee_id: int,
    *,
    given_by: str,
    method: str,
    given_on: date | None,
    guardian_name: str = "",
    version: str = CURRENT_CONSENT_VERSION,
) -> ConsentRecord:
    """Record a consent; refused while another one is active (one at a time)."""
    employee = get_employee(session, actor, employee_id)
    if employee.active_consent is not None:
        raise ServiceError(_("This employee's consent is already recorded."))
    if given_by not in {g.value for g in ConsentGiver}:
        raise ServiceError(_("Choose who gave the consent."), field="given_by")
    guardian_name = guardian_name.strip()
    if given_by == ConsentGiver.GUARDIAN and not guardian_name:
        raise ServiceError(_("Enter the guardian's name."), field="guardian_name")
    if method not in {m.value for m in ConsentMethod}:
        raise ServiceError(_("Choose how the consent was given."), field="method")
    if given_on is None:
        raise ServiceError(_("Enter the date the consent was given."), field="given_on")
    if given_on > organization_today(session, employee.organization_id):
        raise ServiceError(_("The consent date cannot be in the future."), field="given_on")
    if version not in CONSENT_TEXTS:
        raise ServiceError(_("Unknown version of the consent text."))
    # Details kept from before an earlier withdrawal must not reappear under the new consent.
    _purge_employee(session, employee, utcnow(), actor=actor)
    consent = ConsentRecord(
        employee_id=employee.id,
        organization_id=employee.organization_id,
        given_by=ConsentGiver(given_by),
        guardian_name=guardian_name if given_by == ConsentGiver.GUARDIAN else None,
        method=ConsentMethod(method),
        given_at=datetime.combine(given_on, time()),
        consent_text_version=version,
        recorded_by_id=actor.id,
    )
    employee.consents.append(consent)
    session.flush()
    record_event(
        session,
        actor,
        "consent.recorded",
        consent,
        organization_id=employee.organization_id,
        data={"employee_id": employee.id, "method": method, "version": version},
    )
    return consent


def withdraw_consent(
    session: Session, actor: User, employee_id: int, now: datetime | None = None
) -> ConsentRecord:
    """Withdraw the active consent: from now on the disability details are hidden."""
    employee = get_employee(session, actor, employee_id)
    consent = employee.active_consent
    if consent is None:
        raise ServiceError(_("There is no active consent to withdraw."))
    consent.withdrawn_at = now or utcnow()
    session.flush()
    record_event(
        session,
        actor,
        "consent.withdrawn",
        consent,
        organization_id=employee.organization_id,
        data={"employee_id": employee.id},
    )
    return consent


def purge_withdrawn(session: Session, now: datetime) -> int:
    """Delete the disability details of every employee whose consent was withdrawn by `now`.

    Idempotent, for the scheduled job: it runs within the session's reach (one organisation,
    or everything) and returns the number of employees purged.
    """
    employees = session.scalars(
        select(Employee)
        .join(ConsentRecord, ConsentRecord.employee_id == Employee.id)
        .where(*_awaiting_purge(now))
        .distinct()
        .order_by(Employee.id)
    ).all()
    return sum(_purge_employee(session, employee, now, actor=None) for employee in employees)


def organizations_awaiting_purge(now: datetime) -> Select[int]:
    """The organisations `purge_withdrawn` has work in at `now` (the job visits only these):
    those with a consent withdrawn by then whose details are not purged yet."""
    return select(ConsentRecord.organization_id).where(*_awaiting_purge(now)).distinct()


def _awaiting_purge(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        ConsentRecord.withdrawn_at.is_not(None),
        ConsentRecord.withdrawn_at <= now,
        ConsentRecord.purged_at.is_(None),
    )


def _purge_employee(session: Session, employee: Employee, now: datetime, actor: User | None) -> int:
    pending = [c for c in employee.consents if c.withdrawn_at is not None and c.purged_at is None]
    if not pending:
        return 0
    clear_disability_details(employee)
    for consent in pending:
        consent.purged_at = now
    session.flush()
    record_event(
        session,
        actor,
        "employee.disability_details_purged",
        employee,
        organization_id=employee.organization_id,
    )
    return 1
