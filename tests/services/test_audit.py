"""The hash-chained audit trail: written with the change, append-only, tampering caught."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from compliance.extensions import db
from compliance.models import AuditEvent, Organization
from compliance.models.audit import GENESIS_HASH, AuditTamperingError
from compliance.models.organizations import Sector
from compliance.services.audit import record_event, verify_chain
from compliance.services.organizations import create_organization


def _three_events(factory):
    with factory.session() as session:
        for n in range(3):
            record_event(session, None, "test.happened", ("Thing", n), data={"n": n})


def test_events_form_a_chain(factory):
    _three_events(factory)
    with factory.session() as session:
        events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
        assert events[0].prev_hash == GENESIS_HASH
        assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
        report = verify_chain(session)
    assert report.is_intact
    assert report.checked == 3


def test_orm_refuses_to_change_or_delete_an_event(app, factory):
    _three_events(factory)
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).execution_options(skip_tenant_scope=True)
        ).first()
        event.action = "test.rewritten"
        with pytest.raises(AuditTamperingError):
            db.session.flush()
        db.session.rollback()
        db.session.delete(event)
        with pytest.raises(AuditTamperingError):
            db.session.flush()


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        ("UPDATE audit_events SET data = '{\"n\": 99}' WHERE id = :id", "content does not match"),
        ("DELETE FROM audit_events WHERE id = :id", "previous hash does not match"),
    ],
)
def test_verify_reports_the_first_broken_link(app, factory, statement, reason):
    _three_events(factory)
    with factory.session() as session:
        middle = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()[1]
        # A database user bypassing the application, as an attacker with SQL access would.
        session.execute(text(statement), {"id": middle})
    with factory.session() as session:
        report = verify_chain(session)
    expected = middle if statement.startswith("UPDATE") else middle + 1
    assert report.first_broken_id == expected
    assert reason in report.reason

    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at event {expected}" in result.output


def test_cli_reports_an_intact_chain(app, factory):
    _three_events(factory)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "3 events checked" in result.output


def test_event_is_written_in_the_same_transaction_as_the_change(app, factory):
    """A sign-up that is rolled back leaves neither the organisation nor its audit event."""
    with app.test_request_context():
        from compliance.extensions import db

        create_organization(
            db.session,
            organization_name="PT Batal",
            nib="5555555555555",
            npwp="555555555555555",
            sector=Sector.PRIVATE,
            regency_code="31.71",
            name="Batal",
            email="batal@example.com",
            password_hash="x",
        )
        db.session.rollback()
    with factory.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0
        assert session.scalar(select(func.count()).select_from(Organization)) == 0
