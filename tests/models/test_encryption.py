"""Disability data is encrypted at rest, and the data keys can be rotated without data loss."""

from __future__ import annotations

import json

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select, text

from compliance import create_app
from compliance.config import Config
from compliance.extensions import db
from compliance.models import AuditEvent, ConsentRecord, Employee, Reach
from compliance.models.tenancy import reach_scope
from compliance.models.types import KeyRing
from tests.support.roster import (
    SECRET_ACCOMMODATION,
    SECRET_EVIDENCE_NUMBER,
    SECRET_GUARDIAN,
    make_employee,
)

RAW = text(
    "SELECT disability_categories, accommodation, evidence_number FROM employees WHERE id = :id"
)


def _raw(factory, employee_id: int) -> tuple[str, str, str]:
    with factory.session() as session:
        return tuple(session.execute(RAW, {"id": employee_id}).one())


def test_the_database_holds_tokens_not_plaintext(factory, config):
    org = factory.org()
    employee_id = make_employee(factory, org.id, details=True, guardian=True)
    categories, accommodation, evidence_number = _raw(factory, employee_id)
    for raw, plain in [
        (categories, "sensory"),
        (accommodation, SECRET_ACCOMMODATION),
        (evidence_number, SECRET_EVIDENCE_NUMBER),
    ]:
        assert plain not in raw
        assert raw.startswith("v2:")
        assert plain in KeyRing(config.data_keys[:1]).decrypt(raw).decode()
    with factory.session() as session:
        guardian = session.execute(text("SELECT guardian_name FROM consent_records")).scalar()
        assert SECRET_GUARDIAN not in guardian
        employee = session.get(Employee, employee_id)
        assert employee.disability_categories == ["physical", "sensory"]
        assert employee.accommodation == SECRET_ACCOMMODATION
        assert session.scalar(select(ConsentRecord.guardian_name)) == SECRET_GUARDIAN


def _read_with(config: Config, keys: tuple[str, ...], employee_id: int) -> str | None:
    app = create_app(Config.for_tests(config.database_url, config.instance_path, data_keys=keys))
    try:
        with app.app_context(), reach_scope(db.session, Reach.for_everything()):
            return db.session.get(Employee, employee_id).evidence_number
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.mark.commits  # other apps (other keys) read what this one wrote
def test_rotation_moves_every_value_to_the_new_key(app, factory, config):
    old_key = config.data_keys[0]
    new_key = Fernet.generate_key().decode()
    org = factory.org()
    employee_id = make_employee(factory, org.id, details=True, guardian=True)

    # 1. The new key goes first; values written with the old key stay readable.
    assert _read_with(config, (new_key, old_key), employee_id) == SECRET_EVIDENCE_NUMBER
    rotating = create_app(
        Config.for_tests(config.database_url, config.instance_path, data_keys=(new_key, old_key))
    )
    result = rotating.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    # 3 employee fields, the guardian, and the regency's counts by category (models.counts)
    assert "5 encrypted values re-encrypted" in result.output
    with rotating.app_context():
        db.engine.dispose()

    # 2. After rotation the new key alone reads everything; the old one reads nothing.
    assert _read_with(config, (new_key,), employee_id) == SECRET_EVIDENCE_NUMBER
    with factory.session() as session:
        guardian = session.execute(text("SELECT guardian_name FROM consent_records")).scalar()
        rotated_event = session.scalar(
            select(AuditEvent).where(AuditEvent.action == "keys.rotated")
        )
        assert rotated_event.data == {"values": 5}
    assert KeyRing((new_key,)).decrypt(guardian).decode() == SECRET_GUARDIAN
    for raw in _raw(factory, employee_id):
        with pytest.raises(InvalidToken):
            KeyRing((old_key,)).decrypt(raw)
    create_app(config)  # later tests in this process use the fixture's key again


def test_values_written_by_fernet_stay_readable_and_rotate_to_aes_gcm(factory, config):
    """Before AES-GCM the columns held Fernet tokens; a database from then must keep working."""
    org = factory.org()
    employee_id = make_employee(factory, org.id, details=True)
    legacy = Fernet(config.data_keys[0].encode()).encrypt(b"KPD-LAMA").decode()
    with factory.session() as session:
        session.execute(
            text("UPDATE employees SET evidence_number = :t WHERE id = :id"),
            {"t": legacy, "id": employee_id},
        )
        session.commit()
        assert session.get(Employee, employee_id).evidence_number == "KPD-LAMA"
    assert KeyRing(config.data_keys).rotate(legacy).startswith("v2:")


def test_an_altered_token_is_refused(config):
    ring = KeyRing(config.data_keys)
    token = ring.encrypt(b"pembaca layar")
    prefix, key_id, body = token.split(":")
    flipped = body[:5] + ("A" if body[5] != "A" else "B") + body[6:]
    with pytest.raises(InvalidToken):
        ring.decrypt(f"{prefix}:{key_id}:{flipped}")
    with pytest.raises(InvalidToken):
        KeyRing((Fernet.generate_key().decode(),)).decrypt(token)


def test_values_encrypted_in_bulk_each_get_their_own_nonce_and_read_back(app):
    """A bulk import encrypts a column at a time; equal values must still give unequal tokens
    (a repeated nonce would leak equal values and, with GCM, the key stream)."""
    categories = Employee.__table__.c.disability_categories.type
    accommodation = Employee.__table__.c.accommodation.type
    with app.app_context():
        lists = categories.bind_many([["physical"], None, ["physical"], ["sensory", "mental"]])
        texts = accommodation.bind_many(["ramp", "ramp", None])
        assert lists[1] is None
        assert texts[2] is None
        tokens = [t for t in (*lists, *texts) if t is not None]
        assert len({t.split(":")[2][:16] for t in tokens}) == len(tokens), "nonces repeat"
        assert categories.result_many(lists) == [
            ["physical"],
            None,
            ["physical"],
            ["sensory", "mental"],
        ]
        assert accommodation.result_many(texts) == ["ramp", "ramp", None]
        assert categories.process_result_value(lists[3], None) == ["sensory", "mental"]


def test_audit_trail_never_holds_the_encrypted_values(factory):
    org = factory.org()
    make_employee(factory, org.id, details=True, guardian=True)
    with factory.session() as session:
        dumped = json.dumps([e.data for e in session.scalars(select(AuditEvent))])
    for secret in ("sensory", "physical", SECRET_ACCOMMODATION, SECRET_EVIDENCE_NUMBER):
        assert secret not in dumped
    assert SECRET_GUARDIAN not in dumped
