"""Admins see every job, its runs (with errors) and the billing state; nobody else does."""

from __future__ import annotations

from datetime import datetime

import pytest

from compliance.extensions import db
from compliance.jobs.runner import run_job
from compliance.models import Role
from compliance.models.billing import BillingAccount, StripeEvent, SubscriptionStatus
from tests.support.web import login, text_of


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_admin_sees_job_runs_and_subscriptions(app, client, factory):
    def broken(session, now, counts):
        raise RuntimeError("registry unreachable")

    with app.app_context():
        run_job(db.session(), "registry_sync", broken, datetime(2026, 11, 23))  # noqa: DTZ001
        db.session.remove()
    org = factory.org(name="PT Pelanggan")
    with factory.session() as session:
        session.add(
            BillingAccount(organization_id=org.id, plan="large", status=SubscriptionStatus.ACTIVE)
        )
        session.add(
            StripeEvent(
                id="evt_seen",
                type="invoice.paid",
                created=datetime(2026, 11, 23),  # noqa: DTZ001
                outcome="applied",
            )
        )
    admin = factory.user(Role.ADMIN)
    login(client, admin.email)
    page = text_of(client.get("/admin/jobs"))
    for name in ("deadline_reminders", "monthly_snapshot", "consent_withdrawals"):
        assert name in page
    assert "registry_sync" in page
    assert "failed" in page
    assert "registry unreachable" in page
    assert "PT Pelanggan" in page
    assert "evt_seen" in page
    # When each job runs and what it does, in words and in the reader's language (English here).
    said = " ".join(page.split())
    assert "every day at 01:00 UTC (08:00 WIB)" in said  # deadline_reminders
    assert "every 5 minutes" in said  # stalled_imports
    assert "every hour" in said  # consent_withdrawals
    assert "every 1 hour" not in said
    assert "hour=" not in said
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "id"
    said = " ".join(text_of(client.get("/admin/jobs")).split())
    assert "setiap hari pukul 01:00 UTC (08:00 WIB)" in said
    assert "Menghapus data disabilitas yang persetujuannya ditarik" in said
    assert "setiap jam" in said
    assert "setiap 1 jam" not in said


def test_hr_managers_do_not_see_the_operations_page(client, factory):
    org = factory.org()
    login(client, org.hr_email)
    assert client.get("/admin/jobs").status_code == 404
