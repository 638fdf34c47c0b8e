"""Consent first: disability details need an active consent; a withdrawal hides them at once and
the purge deletes them. Every change is audited without the data itself."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from compliance.clock import utcnow
from compliance.models import AuditEvent, ConsentRecord, Employee, Role, User
from compliance.services import NotFound, PermissionDenied, ServiceError
from compliance.services.consent import (
    CONSENT_TEXTS,
    purge_withdrawn,
    record_consent,
    withdraw_consent,
)
from compliance.services.disability import DisabilityInput, set_disability_details
from compliance.services.roster import (
    ConsentStatus,
    disability_details,
    get_employee,
    list_roster,
)
from tests.support.clock import today
from tests.support.roster import SECRET_ACCOMMODATION, SECRET_EVIDENCE_NUMBER, make_employee

#: Date-sensitive: consent dates may not be in the future.
#: Also run at every instant of the calendar sweep (tests/support/clock.py).
pytestmark = pytest.mark.calendar

DETAILS = DisabilityInput(
    categories=["mental"],
    accommodation=SECRET_ACCOMMODATION,
    evidence_type="medical_letter",
    evidence_number=SECRET_EVIDENCE_NUMBER,
    evidence_date=date(2025, 2, 1),
)


def _hr(session, organization_id: int) -> User:
    return session.scalar(select(User).where(User.organization_id == organization_id))


def _consent(session, hr, employee_id, **overrides):
    values = {"given_by": "employee", "method": "electronic", "given_on": date(2025, 3, 1)}
    return record_consent(session, hr, employee_id, **{**values, **overrides})


def _raw_details(session, employee_id):
    return session.execute(
        text(
            "SELECT disability_categories, accommodation, evidence_number, evidence_type "
            "FROM employees WHERE id = :id"
        ),
        {"id": employee_id},
    ).one()


def test_details_are_refused_without_consent_and_saved_after(factory):
    org = factory.org()
    employee_id = make_employee(factory, org.id)
    with factory.session() as session:
        hr = _hr(session, org.id)
        with pytest.raises(ServiceError, match="consent"):
            set_disability_details(session, hr, employee_id, DETAILS)
        assert _raw_details(session, employee_id) == (None, None, None, None)
        _consent(session, hr, employee_id)
        set_disability_details(session, hr, employee_id, DETAILS)
        details = disability_details(get_employee(session, hr, employee_id))
        assert details is not None
        assert [c.value for c in details.categories] == ["mental"]
        assert details.evidence_number == SECRET_EVIDENCE_NUMBER


def test_only_one_active_consent_at_a_time(factory):
    org = factory.org()
    employee_id = make_employee(factory, org.id, consent=True)
    with factory.session() as session, pytest.raises(ServiceError, match="already recorded"):
        _consent(session, _hr(session, org.id), employee_id)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"given_by": "guardian", "guardian_name": "  "}, "guardian_name"),
        ({"given_by": "neighbour"}, "given_by"),
        ({"method": "telepathy"}, "method"),
        ({"given_on": None}, "given_on"),
        ({"given_on": timedelta(days=2)}, "given_on"),  # the day after tomorrow
    ],
)
def test_bad_consent_input_names_its_field(factory, overrides, field):
    if isinstance(overrides.get("given_on"), timedelta):  # a date relative to the frozen clock
        overrides = {**overrides, "given_on": today() + overrides["given_on"]}
    org = factory.org()
    employee_id = make_employee(factory, org.id)
    with factory.session() as session:
        with pytest.raises(ServiceError) as raised:
            _consent(session, _hr(session, org.id), employee_id, **overrides)
        assert raised.value.field == field
        session.rollback()
        assert session.scalar(select(func.count()).select_from(ConsentRecord)) == 0


def test_the_consent_text_exists_in_both_languages():
    for texts in CONSENT_TEXTS.values():
        assert set(texts) == {"id", "en"}


def test_withdrawal_hides_at_once_and_the_purge_deletes(factory):
    org = factory.org()
    employee_id = make_employee(factory, org.id, details=True)
    with factory.session() as session:
        hr = _hr(session, org.id)
        withdraw_consent(session, hr, employee_id)
        employee = get_employee(session, hr, employee_id)
        assert disability_details(employee) is None
        (row,) = list_roster(session, hr)
        assert (row.consent, row.details) == (ConsentStatus.WITHDRAWN, None)
        with pytest.raises(ServiceError, match="consent"):
            set_disability_details(session, hr, employee_id, DETAILS)
        # Hidden is not yet deleted: the purge job does that.
        assert _raw_details(session, employee_id)[1] is not None

    with factory.session() as session:
        assert purge_withdrawn(session, utcnow()) == 1
    with factory.session() as session:
        assert _raw_details(session, employee_id) == (None, None, None, None)
        consent = session.scalar(select(ConsentRecord))
        assert consent.purged_at is not None  # the proof of consent itself is kept
        assert purge_withdrawn(session, utcnow()) == 0  # idempotent
        purged = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "employee.disability_details_purged")
        ).all()
        assert [(e.target_id, e.actor_id, e.data) for e in purged] == [(str(employee_id), None, {})]


def test_purge_leaves_withdrawals_after_its_cut_off(factory):
    org = factory.org()
    employee_id = make_employee(factory, org.id, details=True)
    with factory.session() as session:
        withdraw_consent(session, _hr(session, org.id), employee_id)
    with factory.session() as session:
        assert purge_withdrawn(session, utcnow() - timedelta(hours=1)) == 0


def test_new_consent_after_withdrawal_starts_empty(factory):
    org = factory.org()
    employee_id = make_employee(factory, org.id, details=True)
    with factory.session() as session:
        hr = _hr(session, org.id)
        withdraw_consent(session, hr, employee_id)
        _consent(session, hr, employee_id)
        details = disability_details(get_employee(session, hr, employee_id))
        assert details is not None
        assert (details.categories, details.accommodation) == ((), None)


def test_only_the_organisations_hr_managers_reach_the_roster(factory):
    org = factory.org(regency="31.71")
    other = factory.org()
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    employee_id = make_employee(factory, org.id, details=True)
    with factory.session() as session:
        with pytest.raises(PermissionDenied):
            get_employee(session, session.get(User, inspector.id), employee_id)
        with pytest.raises(PermissionDenied):
            withdraw_consent(session, _hr(session, other.id), employee_id)
        session.rollback()
        assert session.get(Employee, employee_id).consents[0].withdrawn_at is None
    with factory.session() as session, pytest.raises(NotFound):
        get_employee(session, _hr(session, org.id), employee_id + 999)


def test_audit_events_carry_no_personal_or_disability_data(factory):
    org = factory.org()
    employee_id = make_employee(factory, org.id, details=True, guardian=True)
    with factory.session() as session:
        withdraw_consent(session, _hr(session, org.id), employee_id)
        purge_withdrawn(session, utcnow())
    with factory.session() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        actions = [e.action for e in events]
        dumped = json.dumps([e.data for e in events])
    assert actions == [
        "employee.added",
        "consent.recorded",
        "employee.disability_details_saved",
        "consent.withdrawn",
        "employee.disability_details_purged",
    ]
    for secret in ("sensory", "physical", "Sari Dewi", "E-001", "guardian", "Sri"):
        assert secret not in dumped
    assert SECRET_ACCOMMODATION not in dumped
    assert SECRET_EVIDENCE_NUMBER not in dumped


def test_the_active_consent_rule_is_written_once():
    """Every reader of the roster's disability data asks `Employee.has_active_consent`; a
    second spelling of the rule (as once in the quota, the packs, a job and the statistics)
    could drift from it."""
    root = Path(__file__).resolve().parents[2] / "compliance"
    spelled = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "ConsentRecord.withdrawn_at.is_(None)" in path.read_text()
    )
    assert spelled == ["models/people.py"]
