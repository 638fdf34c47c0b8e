"""An HR system's nightly sync, through a client written from the OpenAPI document alone
(`openapi_client.py` imports nothing of the app) over real HTTP on loopback: 50 establishments,
12 months of figures for each, and a roster of 10,000 employees with their consent. Run again,
it finds everything in place and changes nothing: no new row, no audit event."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import func, select

from compliance.models import AuditEvent, Employee, Establishment, WorkforceFigure
from compliance.models.billing import BillingAccount, SubscriptionStatus
from tests.api.openapi_client import OpenApiClient, wait_for
from tests.support.api import make_token
from tests.support.clock import today
from tests.support.live import serving

ESTABLISHMENTS = 50
PEOPLE = 10_000
TYPES = ("permanent", "fixed_term", "daily", "part_time", "outsourced", "intern")


def _branch(n: int) -> str:
    return f"Cabang {n:02d}"


def _roster_csv(header: list[str], names: list[str], consent_on: date) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    for i in range(PEOPLE):
        writer.writerow(
            {
                "employee_number": f"E-{i:05d}",
                "name": f"Pegawai {i:05d}",
                "establishment": names[i % len(names)],
                "employment_type": "permanent",
                "start_date": "2020-01-06",
                "consent_given_by": "employee",
                "consent_method": "written",
                "consent_date": consent_on.isoformat(),
                "consent_text_version": "2026-11",
                "disability_categories": "physical" if i % 3 else "sensory;physical",
                "evidence_type": "kpd",
            }
        )
    return out.getvalue().encode()


def sync(client: OpenApiClient, year: int, consent_on: date) -> dict[str, int]:
    """What an integration does every night; returns what it changed."""
    changed: dict[str, int] = {}
    have = {e["name"]: e for e in client.every("/api/v1/establishments", limit=200)}
    wanted = [_branch(n) for n in range(1, ESTABLISHMENTS)]
    created = 0
    for name in wanted:
        if name not in have:
            client.call(
                "POST",
                "/api/v1/establishments",
                json_body={"name": name, "regency_code": "32.73"},
                headers={"Idempotency-Key": f"establishment-{name}"},
            )
            created += 1
    changed["establishments"] = created
    every = client.every("/api/v1/establishments", limit=200)
    assert len(every) == ESTABLISHMENTS
    items = [
        {
            "establishment_id": e["id"],
            "month": f"{year}-{month:02d}",
            "headcount": {kind: (1000 if kind == "permanent" else 10) for kind in TYPES},
        }
        for e in every
        for month in range(1, 13)
    ]
    figures = client.call("PUT", "/api/v1/figures", json_body={"items": items}).body
    changed["figures"] = figures["changed"]
    header_bytes = client.call("GET", "/api/v1/imports/template", query={"kind": "roster"}).body
    header = next(csv.reader(io.StringIO(header_bytes.decode("utf-8-sig"))))
    upload = client.call(
        "POST",
        "/api/v1/imports",
        query={"kind": "roster", "filename": "roster.csv"},
        raw=("text/csv", _roster_csv(header, [e["name"] for e in every], consent_on)),
    ).body
    job = wait_for(client, upload["id"], {"ready", "invalid", "failed"})
    assert job["status"] == "ready", job["errors"][:5]
    client.call("POST", "/api/v1/imports/{import_id}/confirm", path={"import_id": job["id"]})
    job = wait_for(client, job["id"], {"done", "failed"})
    assert job["status"] == "done"
    changed["roster_created"] = job["created"]
    changed["roster_updated"] = job["updated"]
    changed["roster_unchanged"] = job["unchanged"]
    return changed


def _counts(factory) -> tuple[int, int, int, int]:
    with factory.session() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Establishment, WorkforceFigure, Employee, AuditEvent)
        )


@pytest.mark.commits
def test_a_client_from_the_document_syncs_and_a_rerun_changes_nothing(app, factory):
    org = factory.org()
    with factory.session() as session:  # 50 establishments and 10,000 rows: a large plan
        session.add(
            BillingAccount(
                organization_id=org.id, plan="enterprise", status=SubscriptionStatus.ACTIVE
            )
        )
    token = make_token(factory, org.hr_email)
    year = today().year - 1
    with serving(app) as base_url:
        client = OpenApiClient(base_url, token)
        first = sync(client, year, consent_on=date(year, 1, 2))
        after_first = _counts(factory)
        second = sync(client, year, consent_on=date(year, 1, 2))
    assert first == {
        "establishments": ESTABLISHMENTS - 1,
        "figures": ESTABLISHMENTS * 12,
        "roster_created": PEOPLE,
        "roster_updated": 0,
        "roster_unchanged": 0,
    }
    assert after_first[:3] == (ESTABLISHMENTS, ESTABLISHMENTS * 12 * len(TYPES), PEOPLE)
    assert second == {
        "establishments": 0,
        "figures": 0,
        "roster_created": 0,
        "roster_updated": 0,
        "roster_unchanged": PEOPLE,
    }
    assert _counts(factory) == after_first  # not a row, not an audit event more
