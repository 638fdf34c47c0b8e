"""Exports are prepared by a task and wait for the person who asked (issue 18: large exports
on the queue): ready at once without workers, "being prepared" until a worker builds it with
them, someone else's is not found, a refusal is shown in words, and a day later it is gone."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from compliance.clock import utcnow
from compliance.extensions import db
from compliance.jobs.runner import run_job
from compliance.jobs.schedule import job_named
from compliance.models import AuditEvent, Role
from compliance.models.exports import Export, ExportStatus
from compliance.services import ServiceError
from compliance.services import exports as export_service
from tests.support.declarations import fill_year, submit_year
from tests.support.queue import work_off
from tests.support.web import csrf_token, login, prepared_download, text_of


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def filed(factory):
    org = factory.org(name="PT Diekspor", regency="31.71")
    fill_year(factory, org.id, {org.establishment_ids[0]: 300})
    submit_year(factory, org.id)
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    return org, inspector


def _ask(client, org_id: int):
    page = f"/inspections/organizations/{org_id}"
    return client.post(
        f"{page}/evidence-pack",
        data={"csrf_token": csrf_token(client, page), "pack-year": "2025"},
    )


def test_a_pack_is_prepared_for_the_inspector_who_asked_and_for_a_day(app, client, factory, filed):
    org, inspector = filed
    login(client, inspector.email)
    asked = _ask(client, org.id)
    assert asked.status_code == 302
    export_page = asked.headers["Location"]
    page = text_of(client.get(export_page))
    assert "The file is ready." in page
    assert "Evidence pack" in page
    response = prepared_download(client, asked)
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data.startswith(b"PK")

    other = factory.user(Role.INSPECTOR, provinces=("31",))
    colleague = app.test_client()
    login(colleague, other.email)
    assert colleague.get(export_page).status_code == 404, "another inspector's export"
    assert colleague.get(f"{export_page}/download").status_code == 404

    with time_machine.travel(utcnow() + timedelta(days=1, minutes=1), tick=False):
        assert client.get(f"{export_page}/download").status_code == 404, "expired"
        with app.app_context():
            job = job_named("expired_exports")
            run = run_job(db.session(), job.name, job.function, utcnow())
            assert run.changed == 1
            assert db.session.scalar(select(func.count()).select_from(Export)) == 0


def test_an_export_refused_while_prepared_says_why_and_exports_nothing(
    app, client, factory, filed, monkeypatch
):
    org, inspector = filed

    def refuse(*args, **kwargs):
        raise ServiceError("The organisation has no establishment in your province any more.")

    monkeypatch.setattr(export_service, "build_pack", refuse)
    login(client, inspector.email)
    asked = _ask(client, org.id)
    page = text_of(client.get(asked.headers["Location"]))
    assert "The file could not be prepared." in page
    assert "no establishment in your province any more" in page
    assert "/download" not in page
    with app.app_context():
        (export,) = db.session.scalars(select(Export)).all()
        assert export.status is ExportStatus.FAILED
        exported = select(func.count()).where(
            AuditEvent.action == "inspection.evidence_pack_exported"
        )
        assert db.session.scalar(exported.execution_options(skip_tenant_scope=True)) == 0


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
    reason="workers need PostgreSQL",
)
class TestWithWorkers:
    @pytest.fixture
    def config(self, config):
        return replace(config, task_queue="procrastinate")

    @pytest.mark.commits
    def test_the_page_says_the_file_is_being_prepared_until_a_worker_built_it(
        self, app, client, factory, filed
    ):
        org, inspector = filed
        login(client, inspector.email)
        asked = _ask(client, org.id)
        page = text_of(client.get(asked.headers["Location"]))
        assert "The file is being prepared." in page
        assert "/download" not in page
        try:
            work_off(app, ["exports"])
            assert prepared_download(client, asked).mimetype == "application/zip"
        finally:
            with app.app_context():
                db.session.execute(db.text("DELETE FROM procrastinate_jobs"))
                db.session.commit()
