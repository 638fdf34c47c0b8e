"""`each_organization`'s `prepare` and `only`: a job reads a chunk's data once, with every
reach, before its per-organisation `work`, which stays scoped to one organisation."""

from __future__ import annotations

from sqlalchemy import select

from compliance.extensions import db
from compliance.jobs import runner
from compliance.jobs.runner import RunCounts, each_organization
from compliance.models import Organization
from compliance.models.tenancy import Reach, current_reach


def test_prepare_runs_once_per_chunk_before_its_work(app, factory, monkeypatch):
    monkeypatch.setattr(runner, "BATCH_SIZE", 2)
    ids = [factory.org().id for _ in range(3)]
    seen: list[tuple[str, object, Reach | None]] = []

    def prepare(session, chunk: list[int]) -> None:
        seen.append(("prepare", chunk, current_reach(session)))

    def work(session, organization: Organization) -> int:
        seen.append(("work", organization.id, current_reach(session)))
        return 1

    counts = RunCounts()
    with app.app_context():
        each_organization(db.session(), counts, work, prepare=prepare)
    assert [(step, what) for step, what, _reach in seen] == [
        ("prepare", ids[:2]),
        ("work", ids[0]),
        ("work", ids[1]),
        ("prepare", ids[2:]),
        ("work", ids[2]),
    ]
    assert {reach for step, _what, reach in seen if step == "prepare"} == {Reach.for_everything()}
    assert [reach for step, _what, reach in seen if step == "work"] == [
        Reach(organization_id=organization_id) for organization_id in ids
    ]
    assert (counts.processed, counts.changed, counts.failed) == (3, 3, 0)


def test_a_failed_prepare_fails_its_chunk_not_the_run(app, factory, monkeypatch):
    monkeypatch.setattr(runner, "BATCH_SIZE", 2)
    ids = [factory.org().id for _ in range(3)]
    worked: list[int] = []

    def prepare(session, chunk: list[int]) -> None:
        if ids[0] in chunk:
            raise RuntimeError("broken chunk")

    def work(session, organization: Organization) -> int:
        worked.append(organization.id)
        return 0

    counts = RunCounts()
    with app.app_context():
        each_organization(db.session(), counts, work, prepare=prepare)
    assert worked == ids[2:]
    assert (counts.processed, counts.failed) == (1, 2)
    assert "broken chunk" in counts.errors[0]


def test_only_limits_the_walk(app, factory):
    ids = [factory.org().id for _ in range(3)]
    worked: list[int] = []

    def work(session, organization: Organization) -> int:
        worked.append(organization.id)
        return 0

    with app.app_context():
        only = select(Organization.id).where(Organization.id != ids[1])
        each_organization(db.session(), RunCounts(), work, only=only)
    assert worked == [ids[0], ids[2]]
