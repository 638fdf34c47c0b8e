"""Declarations end to end through the services: LAW.md's worked examples, immutability,
versions with a reason, concurrent drafts and missing months."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from compliance.models import AuditEvent, Declaration, DeclarationStatus
from compliance.models.declarations import SubmittedDeclarationError
from compliance.services import ServiceError
from compliance.services.consent import withdraw_consent
from compliance.services.declarations import (
    LedgerReason,
    correct_declaration,
    gap_overview,
    open_declaration,
    recompute_declaration,
    save_declaration,
    submit_declaration,
)
from compliance.services.workforce import record_monthly_figures
from tests.support.clock import last_year, today
from tests.support.declarations import PRIVATE_TYPES, fill_year, hr_of
from tests.support.roster import make_employee

#: Date-sensitive: periods, due dates and the months that have begun.
#: Also run at every instant of the calendar sweep (tests/support/clock.py).
pytestmark = pytest.mark.calendar


@pytest.fixture
def company(factory):
    """Private, 250 workers: 150 in Jakarta Pusat (DKI), 100 in Surabaya (Jawa Timur)."""
    org = factory.org(name="PT Dua Kota", regency="31.71", other_regencies=("35.78",))
    jakarta, surabaya = org.establishment_ids
    make_employee(factory, org.id, number="E-001", name="Sari Dewi", details=True)
    make_employee(factory, org.id, number="E-002", name="Budi Santoso", details=True)
    make_employee(factory, org.id, number="E-003", name="Tanpa Izin")  # no consent
    return org, jakarta, surabaya


def _open(factory, org_id: int, year: int | None = None) -> tuple[int, int]:
    with factory.session() as session:
        draft = open_declaration(session, hr_of(session, org_id), year or last_year())
        return draft.id, draft.revision


def test_worked_example_two_establishments_two_provinces(factory, company):
    org, jakarta, surabaya = company
    fill_year(factory, org.id, {jakarta: 150, surabaya: 100})
    declaration_id, revision = _open(factory, org.id)
    with factory.session() as session:
        hr = hr_of(session, org.id)
        submitted = submit_declaration(session, hr, declaration_id, revision, "Reviewed by HR")
        data, digest = submitted.data, submitted.input_sha256
        assert submitted.status is DeclarationStatus.SUBMITTED
    entity = data["entity"]
    assert (entity["status"], entity["required"], entity["counted"], entity["gap"]) == (
        "shortfall",
        "3",
        "2",
        "1",
    )
    assert all(month["required"] == 3 for month in entity["months"])
    by_place = {e["name"]: e["result"] for e in data["establishments"]}
    assert by_place["Kantor pusat"]["required"] == "2"  # ceil(1.5), both people work here
    assert by_place["Kantor pusat"]["counted"] == "2"
    assert by_place["Cabang 35.78"]["required"] == "1"
    assert {p["code"]: p["result"]["gap"] for p in data["provinces"]} == {
        "31": "0",
        "35": "1",
    }
    assert data["packs"][0]["id"] == "id-uu8-2016"
    assert len(digest) == 64
    assert "Sari" not in str(data)  # the stored result carries no names


def test_submitted_declaration_is_frozen_against_later_figures(factory, company):
    org, jakarta, surabaya = company
    fill_year(factory, org.id, {jakarta: 150, surabaya: 100})
    declaration_id, revision = _open(factory, org.id)
    with factory.session() as session:
        submit_declaration(session, hr_of(session, org.id), declaration_id, revision, None)
    fill_year(factory, org.id, {jakarta: 1000, surabaya: 100})
    with factory.session() as session:
        declaration = session.get(Declaration, declaration_id)
        assert declaration.data["entity"]["required"] == "3"
        declaration.note = "changed behind the service's back"
        with pytest.raises(SubmittedDeclarationError):
            session.flush()
        session.rollback()
    with factory.session() as session:
        with pytest.raises(ServiceError, match="submitted"):
            save_declaration(session, hr_of(session, org.id), declaration_id, revision + 1, "x")
        declaration = session.get(Declaration, declaration_id)
        session.delete(declaration)
        with pytest.raises(SubmittedDeclarationError):
            session.flush()
        session.rollback()


def test_correction_needs_a_reason_and_keeps_every_version(factory, company):
    org, jakarta, surabaya = company
    fill_year(factory, org.id, {jakarta: 150, surabaya: 100})
    declaration_id, revision = _open(factory, org.id)
    with factory.session() as session:
        hr = hr_of(session, org.id)
        submit_declaration(session, hr, declaration_id, revision, None)
    with factory.session() as session:
        hr = hr_of(session, org.id)
        with pytest.raises(ServiceError) as error:
            correct_declaration(session, hr, declaration_id, "   ")
        assert error.value.field == "reason"
        session.rollback()
    fill_year(factory, org.id, {jakarta: 350, surabaya: 100})
    with factory.session() as session:
        hr = hr_of(session, org.id)
        correction = correct_declaration(session, hr, declaration_id, "Jakarta headcount was wrong")
        assert (correction.number, correction.corrects_id) == (2, declaration_id)
        assert correction.data["entity"]["required"] == "5"
        # a draft exists now: opening returns it; after submitting, opening is refused
        submit_declaration(session, hr, correction.id, correction.revision, None)
        with pytest.raises(ServiceError, match="already submitted"):
            open_declaration(session, hr, last_year())
        versions = session.scalars(
            select(Declaration).where(Declaration.organization_id == org.id)
        ).all()
        assert [(d.number, d.status.value) for d in versions] == [
            (1, "submitted"),
            (2, "submitted"),
        ]
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.target_type == "Declaration")
        ).all()
        assert actions == [
            "declaration.opened",
            "declaration.submitted",
            "declaration.corrected",
            "declaration.submitted",
        ]
        data = session.scalars(select(AuditEvent.data)).all()
        assert "Jakarta headcount" not in str(data)
        assert "Sari" not in str(data)


def test_two_hr_managers_on_one_draft_second_is_refused(factory, company):
    org, jakarta, surabaya = company
    fill_year(factory, org.id, {jakarta: 150, surabaya: 100})
    declaration_id, seen = _open(factory, org.id)
    with factory.session() as session:
        save_declaration(session, hr_of(session, org.id), declaration_id, seen, "first note")
    with factory.session() as session:
        with pytest.raises(ServiceError, match="colleague saved"):
            save_declaration(session, hr_of(session, org.id), declaration_id, seen, "second")
        session.rollback()
    with factory.session() as session:
        assert session.get(Declaration, declaration_id).note == "first note"


def test_submission_without_all_months_names_them_and_saves_nothing(factory, company):
    org, jakarta, surabaya = company
    fill_year(factory, org.id, {jakarta: 150, surabaya: 100}, skip={(surabaya, 3), (jakarta, 11)})
    declaration_id, revision = _open(factory, org.id)
    with factory.session() as session:
        with pytest.raises(ServiceError) as error:
            submit_declaration(session, hr_of(session, org.id), declaration_id, revision, "n")
        session.rollback()
    message = error.value.message
    assert f"March {last_year()} (Cabang 35.78)" in message
    assert f"November {last_year()} (Kantor pusat)" in message
    with factory.session() as session:
        declaration = session.get(Declaration, declaration_id)
        assert (declaration.status, declaration.note) == (DeclarationStatus.DRAFT, None)
        assert declaration.data["entity"]["status"] == "insufficient_data"


def test_submit_refused_when_figures_changed_since_the_draft(factory, company):
    org, jakarta, surabaya = company
    fill_year(factory, org.id, {jakarta: 150, surabaya: 100})
    declaration_id, revision = _open(factory, org.id)
    with factory.session() as session:
        hr = hr_of(session, org.id)
        counts = {kind: 0 for kind in PRIVATE_TYPES} | {"permanent": 999}
        record_monthly_figures(session, hr, jakarta, date(last_year(), 6, 1), counts)
    with factory.session() as session:
        hr = hr_of(session, org.id)
        with pytest.raises(ServiceError, match="changed since"):
            submit_declaration(session, hr, declaration_id, revision, None)
        session.rollback()
    with factory.session() as session:
        hr = hr_of(session, org.id)
        fresh = recompute_declaration(session, hr, declaration_id, revision)
        submit_declaration(session, hr, declaration_id, fresh.revision, None)


def test_gap_overview_and_ledger(factory, company):
    org, jakarta, surabaya = company
    fill_year(factory, org.id, {jakarta: 150, surabaya: 100}, skip={(surabaya, 12)})
    with factory.session() as session:
        hr = hr_of(session, org.id)
        # Sari Dewi, the first added: a row picked without an order may be the one without
        # consent (PostgreSQL returns rows in no promised order).
        employee_id = session.scalar(
            select(AuditEvent.target_id)
            .where(AuditEvent.action == "employee.added", AuditEvent.organization_id == org.id)
            .order_by(AuditEvent.id)
            .limit(1)
        )
        withdraw_consent(session, hr, int(employee_id))
    with factory.session() as session:
        overview = gap_overview(session, hr_of(session, org.id), last_year())
        assert overview.latest_month == date(last_year(), 11, 1)
        assert (overview.latest.required, overview.latest.counted) == (3, 1)
        assert overview.due_on == date(last_year() + 1, 1, 31)
        assert overview.days_left == (overview.due_on - today()).days
        codes = {w.code for w in overview.warnings}
        assert {"missing_figures", "unverified_evidence"} <= codes
        ledger = {p.employee_number: reasons for p, reasons in overview.computation.ledger()}
        assert set(ledger["E-001"]) == {LedgerReason.NO_CONSENT}
        assert set(ledger["E-002"]) == {LedgerReason.COUNTED_UNVERIFIED}
        assert set(ledger["E-003"]) == {LedgerReason.NO_CONSENT}


def test_two_colleagues_correcting_the_same_version_at_once_get_a_message(factory, company):
    """The race: both pages showed version 1 as the latest; the second correction must not
    open a second, parallel correction of it (it did, or crashed on a unique key)."""
    org, jakarta, surabaya = company
    fill_year(factory, org.id, {jakarta: 150, surabaya: 100})
    declaration_id, revision = _open(factory, org.id)
    with factory.session() as session:
        submit_declaration(session, hr_of(session, org.id), declaration_id, revision, None)
    with factory.session() as second:
        hr = hr_of(second, org.id)
        seen = second.get(Declaration, declaration_id)
        assert [d.number for d in seen.period.declarations] == [1]  # what the page showed
        with factory.session() as first:
            winner = correct_declaration(
                first, hr_of(first, org.id), declaration_id, "Jakarta was wrong"
            )
            assert (winner.number, winner.corrects_id) == (2, declaration_id)
        # The loser computes version 3, still correcting version 1: refused, in words.
        with pytest.raises(ServiceError, match="A colleague changed this declaration"):
            correct_declaration(second, hr, declaration_id, "Surabaya was wrong")
        second.rollback()


def test_the_current_period_is_submitted_only_once_it_is_over(factory, company):
    """Only months that have ended count (issue 15, item 3): a period under way can be drafted
    over its ended months, never submitted; in January it cannot even be opened."""
    org, jakarta, surabaya = company
    year = today().year
    for month in range(1, today().month):
        fill_month = date(year, month, 1)
        with factory.session() as session:
            hr = hr_of(session, org.id)
            for establishment in (jakarta, surabaya):
                counts = {kind: 0 for kind in PRIVATE_TYPES} | {"permanent": 100}
                record_monthly_figures(session, hr, establishment, fill_month, counts)
    with factory.session() as session:
        hr = hr_of(session, org.id)
        if today().month == 1:
            with pytest.raises(ServiceError, match=r"No month of .* has ended yet"):
                open_declaration(session, hr, year)
            session.rollback()
            return
        draft = open_declaration(session, hr, year)
        assert len(draft.data["months"]) == today().month - 1
        assert draft.data["missing"] == []  # the month under way is never missing
        assert draft.data["entity"]["status"] != "insufficient_data"
        with pytest.raises(ServiceError, match="is not over yet"):
            submit_declaration(session, hr, draft.id, draft.revision, None)
        session.rollback()
