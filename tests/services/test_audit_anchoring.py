"""The keyed audit chain and its signed checkpoints, attacked the way someone with write access
to the database (but not the server's keys) would: each attack must be reported.

The attacker works through Core statements on the table, bypassing the ORM's append-only guard,
as a database user would with SQL.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import delete, select, update

from compliance.clock import utcnow
from compliance.config import Config, ConfigError
from compliance.models.audit import (
    GENESIS_HASH,
    AuditCheckpoint,
    AuditEvent,
    audit_key_id,
    chain_hash,
    keyed_chain_hash,
)
from compliance.services.audit import record_event, verify_chain
from compliance.services.audit_checkpoints import (
    checkpoint_audit_trail,
    verify_checkpoints,
    write_checkpoint,
)
from compliance.services.inspections.signing import sign

EVENTS = AuditEvent.__table__
CHECKPOINTS = AuditCheckpoint.__table__
NEW_KEY = "a-newer-audit-key-for-the-rotation-test"
#: How an attacker recomputes an event's hash: (event with its new prev_hash) -> (key_id, hash).
Rehash = Callable[[AuditEvent], tuple[str | None, str]]


def _record(factory, count: int, start: int = 0) -> list[int]:
    with factory.session() as session:
        return [
            record_event(session, None, "test.happened", ("Thing", n), data={"n": n}).id
            for n in range(start, start + count)
        ]


def _checkpoint(factory) -> AuditCheckpoint:
    with factory.session() as session:
        checkpoint = write_checkpoint(session, utcnow())
        assert checkpoint is not None
        session.expunge(checkpoint)
    return checkpoint


def _reports(factory):
    with factory.session() as session:
        return verify_chain(session), verify_checkpoints(session)


def _rechain(factory, from_id: int, rehash: Rehash, data: dict | None = None) -> None:
    """Change event `from_id` (its data, if given) and recompute every hash from there on."""
    with factory.session() as session:
        events = session.scalars(
            select(AuditEvent).order_by(AuditEvent.id).execution_options(skip_tenant_scope=True)
        ).all()
        session.expunge_all()  # edited in Python only; the database is changed through Core
        prev = GENESIS_HASH
        for event in events:
            if event.id >= from_id:
                if event.id == from_id and data is not None:
                    event.data = data
                event.prev_hash = prev
                event.key_id, event.hash = rehash(event)
                session.execute(
                    update(EVENTS)
                    .where(EVENTS.c.id == event.id)
                    .values(data=event.data, prev_hash=prev, key_id=event.key_id, hash=event.hash)
                )
            prev = event.hash


def plain_sha256(event: AuditEvent) -> tuple[str | None, str]:
    return None, chain_hash(event.prev_hash, event.hashed_fields())


def guessed_key(event: AuditEvent) -> tuple[str | None, str]:
    """The keyed formula, the real key id, but a key the attacker made up."""
    fields = event.hashed_fields()
    return event.key_id, keyed_chain_hash(
        b"guessed" * 6, str(event.key_id), event.prev_hash, fields
    )


def real_key(config: Config) -> Rehash:
    """An insider who also holds AUDIT_KEYS: only the checkpoints' Ed25519 key stops them."""
    key = config.audit_keys[0].encode()

    def rehash(event: AuditEvent) -> tuple[str | None, str]:
        key_id = audit_key_id(key)
        return key_id, keyed_chain_hash(key, key_id, event.prev_hash, event.hashed_fields())

    return rehash


# --- (a) editing an event and recomputing the chain without the key --------------------------


@pytest.mark.parametrize(
    ("rehash", "reason"),
    [
        (plain_sha256, "unkeyed event after keyed ones"),
        (guessed_key, "content does not match its hash"),
    ],
)
def test_an_edit_recomputed_without_the_key_breaks_the_chain(factory, rehash, reason):
    ids = _record(factory, 4)
    _rechain(factory, ids[1], rehash, data={"n": 99})
    chain, _ = _reports(factory)
    assert chain.first_broken_id == ids[1]
    assert reason in chain.reason


def test_a_whole_trail_rewritten_in_the_legacy_form_is_caught_by_a_checkpoint(factory):
    """Rewritten from the first event on, the chain looks like one from before keying; the
    checkpoint signed over the real head shows it."""
    ids = _record(factory, 3)
    checkpoint = _checkpoint(factory)
    _rechain(factory, ids[0], plain_sha256, data={"n": 99})
    chain, checkpoints = _reports(factory)
    assert chain.is_intact
    assert chain.legacy == 3
    assert checkpoints.first_broken_id == checkpoint.id
    assert "no longer has the signed hash: the chain was rewritten" in checkpoints.reason


# --- (b) truncation -------------------------------------------------------------------------


def test_deleting_the_newest_events_is_caught_by_the_checkpoint(factory):
    ids = _record(factory, 4)
    checkpoint = _checkpoint(factory)
    with factory.session() as session:
        session.execute(delete(EVENTS).where(EVENTS.c.id >= ids[2]))
    chain, checkpoints = _reports(factory)
    assert chain.is_intact  # what remains is a valid, shorter chain: the old blind spot
    assert checkpoints.first_broken_id == checkpoint.id
    assert f"head event {ids[3]} is gone: the newest events were deleted" in checkpoints.reason


def test_events_after_the_newest_checkpoint_are_counted_as_unanchored(factory):
    _record(factory, 2)
    _checkpoint(factory)
    _record(factory, 3, start=2)
    _, checkpoints = _reports(factory)
    assert checkpoints.is_intact
    assert (checkpoints.checked, checkpoints.unanchored) == (1, 3)


# --- (c) deleting an event in the middle and re-chaining the rest -----------------------------


def test_a_deletion_rechained_without_the_key_breaks_the_chain(factory):
    ids = _record(factory, 4)
    with factory.session() as session:
        session.execute(delete(EVENTS).where(EVENTS.c.id == ids[1]))
    _rechain(factory, ids[2], guessed_key)
    chain, _ = _reports(factory)
    assert chain.first_broken_id == ids[2]
    assert "content does not match its hash" in chain.reason


def test_a_deletion_rechained_with_the_chain_key_is_caught_by_the_checkpoint(factory, config):
    ids = _record(factory, 4)
    checkpoint = _checkpoint(factory)
    with factory.session() as session:
        session.execute(delete(EVENTS).where(EVENTS.c.id == ids[1]))
    _rechain(factory, ids[2], real_key(config))
    chain, checkpoints = _reports(factory)
    assert chain.is_intact
    assert checkpoints.first_broken_id == checkpoint.id
    assert "the chain was rewritten" in checkpoints.reason


def test_the_count_is_checked_on_its_own(factory):
    """A deletion that leaves the head's hash as signed (possible only where the chain was
    already unlinked when the checkpoint was signed) still shows in the count."""
    ids = _record(factory, 3)
    with factory.session() as session:
        session.execute(
            update(EVENTS).where(EVENTS.c.id == ids[0]).values(hash="f" * 64)  # unlinks event 2
        )
    checkpoint = _checkpoint(factory)
    with factory.session() as session:
        session.execute(delete(EVENTS).where(EVENTS.c.id == ids[0]))
    _, checkpoints = _reports(factory)
    assert checkpoints.first_broken_id == checkpoint.id
    assert "2 events up to event" in checkpoints.reason
    assert "3 when signed" in checkpoints.reason


# --- (d) key rotation and legacy events ------------------------------------------------------


def _use_keys(monkeypatch, app, config: Config, *keys: str) -> None:
    monkeypatch.setitem(app.extensions, "kuota_config", replace(config, audit_keys=keys))


def test_a_key_rotation_in_the_middle_verifies(app, factory, config, monkeypatch):
    old = config.audit_keys[0]
    _record(factory, 2)
    _use_keys(monkeypatch, app, config, NEW_KEY, old)
    _record(factory, 2, start=2)
    _checkpoint(factory)
    with factory.session() as session:
        key_ids = session.scalars(
            select(AuditEvent.key_id)
            .order_by(AuditEvent.id)
            .execution_options(skip_tenant_scope=True)
        ).all()
    assert key_ids == [audit_key_id(old.encode())] * 2 + [audit_key_id(NEW_KEY.encode())] * 2
    chain, checkpoints = _reports(factory)
    assert chain.is_intact
    assert chain.checked == 4
    assert checkpoints.is_intact

    _use_keys(monkeypatch, app, config, NEW_KEY)  # the old key dropped too early
    chain, _ = _reports(factory)
    assert f"key {key_ids[0]}, which AUDIT_KEYS no longer holds" in chain.reason


def _legacy_event(factory, n: int) -> None:
    """An event as written before the chain was keyed (before migration 0012)."""
    with factory.session() as session:
        tail = session.scalars(
            select(AuditEvent.hash)
            .order_by(AuditEvent.id.desc())
            .limit(1)
            .execution_options(skip_tenant_scope=True)
        ).first()
        event = AuditEvent(
            occurred_at=utcnow(),
            actor_label="system",
            action="test.legacy",
            target_type="Thing",
            target_id=str(n),
            data={"n": n},
            prev_hash=tail or GENESIS_HASH,
        )
        event.hash = event.compute_hash()
        session.add(event)


def test_legacy_events_verify_only_before_the_first_keyed_one(factory):
    _legacy_event(factory, 0)
    _legacy_event(factory, 1)
    _record(factory, 2, start=2)
    chain, _ = _reports(factory)
    assert chain.is_intact
    assert (chain.checked, chain.legacy) == (4, 2)

    _legacy_event(factory, 4)
    chain, _ = _reports(factory)
    assert chain.checked == 5
    assert "unkeyed event after keyed ones" in chain.reason


# --- (e) forged checkpoints ------------------------------------------------------------------


def test_a_checkpoint_signed_with_another_key_is_reported_as_forged(factory):
    ids = _record(factory, 2)
    real = _checkpoint(factory)
    forged = AuditCheckpoint(
        created_at=utcnow(),
        event_count=1,
        head_event_id=ids[0],
        head_hash=real.head_hash,
        key_id=real.key_id,  # claims to be ours
    )
    forged.signature = sign(forged.signed_text(), Ed25519PrivateKey.generate())
    with factory.session() as session:
        session.add(forged)
        session.flush()
        forged_id = forged.id
    _, checkpoints = _reports(factory)
    assert checkpoints.first_broken_id == forged_id
    assert "signature does not match: the checkpoint was forged or changed" in checkpoints.reason


def test_a_changed_checkpoint_fails_its_signature(factory):
    _record(factory, 3)
    checkpoint = _checkpoint(factory)
    with factory.session() as session:
        session.execute(
            update(CHECKPOINTS).where(CHECKPOINTS.c.id == checkpoint.id).values(event_count=2)
        )
    _, checkpoints = _reports(factory)
    assert (checkpoints.first_broken_id, checkpoints.failed) == (checkpoint.id, 1)
    assert "signature does not match" in checkpoints.reason


def test_a_checkpoint_from_another_server_key_is_named(app, factory, config, monkeypatch):
    _record(factory, 1)
    checkpoint = _checkpoint(factory)
    other = base64.b64encode(b"another-servers-ed25519-key-32by").decode()
    monkeypatch.setitem(app.extensions, "kuota_config", replace(config, evidence_signing_key=other))
    _, checkpoints = _reports(factory)
    assert f"signed with key {checkpoint.key_id}, not this server's key" in checkpoints.reason


# --- (f) the commands and the job ------------------------------------------------------------


def test_cli_verify_names_the_failed_checkpoint_and_exits_non_zero(app, factory):
    ids = _record(factory, 3)
    cli = app.test_cli_runner()
    assert "audit checkpoint" in cli.invoke(args=["audit", "checkpoint"]).output
    with factory.session() as session:
        session.execute(delete(EVENTS).where(EVENTS.c.id == ids[2]))
        checkpoint_id = session.scalar(select(AuditCheckpoint.id))
    result = cli.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "audit trail intact: 2 events checked" in result.output
    assert f"checkpoint {checkpoint_id} BROKEN: its head event {ids[2]} is gone" in result.output


def test_cli_verify_reports_a_keyless_rewrite(app, factory):
    ids = _record(factory, 3)
    _rechain(factory, ids[1], plain_sha256, data={"n": 99})
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at event {ids[1]}: unkeyed event after keyed ones" in result.output


def test_cli_checkpoint_then_verify_on_an_intact_trail(app, factory):
    _record(factory, 3)
    cli = app.test_cli_runner()
    written = cli.invoke(args=["audit", "checkpoint"])
    assert written.exit_code == 0
    assert "3 events up to event" in written.output
    again = cli.invoke(args=["audit", "checkpoint"])
    assert "no new events since the last checkpoint" in again.output
    result = cli.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "checkpoints intact: 1 checked; 0 events since the newest one" in result.output


def test_the_job_writes_a_checkpoint_only_when_there_are_new_events(factory):
    with factory.session() as session:
        assert checkpoint_audit_trail(session, utcnow()) == 0  # no events yet
    _record(factory, 1)
    with factory.session() as session:
        assert checkpoint_audit_trail(session, utcnow()) == 1
        assert checkpoint_audit_trail(session, utcnow()) == 0


# --- configuration ---------------------------------------------------------------------------


def test_audit_keys_are_read_newest_first_and_checked(tmp_path):
    env = {"INSTANCE_PATH": str(tmp_path), "AUDIT_KEYS": f" {NEW_KEY}, {'x' * 32} "}
    assert Config.from_env(env).audit_keys == (NEW_KEY, "x" * 32)
    with pytest.raises(ConfigError, match="AUDIT_KEYS"):
        Config.from_env({**env, "AUDIT_KEYS": "too-short"})


def test_development_audit_key_is_generated_once_and_kept(tmp_path):
    first = Config.from_env({"INSTANCE_PATH": str(tmp_path)}).audit_keys
    assert len(first) == 1
    assert len(first[0]) >= 32
    assert Config.from_env({"INSTANCE_PATH": str(tmp_path)}).audit_keys == first
