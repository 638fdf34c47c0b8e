"""Filing through the API: figures in bulk, a declaration from draft to filed to corrected,
its receipt, and imports; every refusal a problem naming the field, with nothing changed."""

from __future__ import annotations

from sqlalchemy import func, select

from compliance.models import AuditEvent, Declaration, Employee, WorkforceFigure
from tests.support.api import call, field_errors, make_token, problem
from tests.support.clock import today

TYPES = ("permanent", "fixed_term", "daily", "part_time", "outsourced", "intern")


def _count(factory, model) -> int:
    with factory.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _year_of_figures(establishment_id: int, year: int, permanent: int = 150) -> list[dict]:
    return [
        {
            "establishment_id": establishment_id,
            "month": f"{year}-{month:02d}",
            "headcount": {k: (permanent if k == "permanent" else 0) for k in TYPES},
        }
        for month in range(1, 13)
    ]


def test_bulk_figures_are_all_or_nothing_and_name_the_entry(client, factory):
    org = factory.org()
    token = make_token(factory, org.hr_email)
    year = today().year - 1
    items = _year_of_figures(org.establishment_ids[0], year)
    items[7]["headcount"]["pns"] = 3  # a type a private company does not report
    refused = call(client, "PUT", "/figures", token, json={"items": items})
    assert list(field_errors(refused)) == ["items.7.headcount.pns"]
    assert _count(factory, WorkforceFigure) == 0
    del items[7]["headcount"]["pns"]
    stored = call(client, "PUT", "/figures", token, json={"items": items})
    assert stored.get_json() == {"changed": 12, "unchanged": 0}
    again = call(client, "PUT", "/figures", token, json={"items": items})
    assert again.get_json() == {"changed": 0, "unchanged": 12}
    other = factory.org()
    foreign = _year_of_figures(other.establishment_ids[0], year)[:1]
    assert "items.0.establishment_id" in field_errors(
        call(client, "PUT", "/figures", token, json={"items": foreign})
    )


def test_a_declaration_from_draft_to_filed_to_corrected(client, factory):
    org = factory.org()
    token = make_token(factory, org.hr_email)
    year = today().year - 1
    call(
        client,
        "PUT",
        "/figures",
        token,
        json={"items": _year_of_figures(org.establishment_ids[0], year)},
    )
    opened = call(client, "POST", "/declarations", token, json={"year": year})
    assert opened.status_code == 201, opened.get_data(as_text=True)
    draft = opened.get_json()
    assert draft["status"] == "draft"
    assert draft["result"]["required"] == 2  # 1 % of 150, rounded up
    path = f"/declarations/{draft['id']}"
    stale = '"0-0"'
    problem(
        call(client, "POST", f"{path}/submit", token, json={}, headers={"If-Match": stale}), 412
    )
    filed = call(
        client,
        "POST",
        f"{path}/submit",
        token,
        json={"note": "via SAP"},
        headers={"If-Match": opened.headers["ETag"]},
    )
    assert filed.status_code == 200, filed.get_data(as_text=True)
    assert filed.get_json()["status"] == "submitted"
    assert filed.get_json()["receipt_number"]
    events = _count(factory, AuditEvent)
    twice = problem(call(client, "POST", f"{path}/submit", token, json={}), 422)
    assert "submitted" in twice["detail"]
    assert _count(factory, AuditEvent) == events
    receipt = call(client, "GET", f"{path}/receipt", token)
    assert receipt.status_code == 200
    assert receipt.data.startswith(b"%PDF")
    assert "reason" in field_errors(
        call(client, "POST", f"{path}/correct", token, json={"reason": ""})
    )
    corrected = call(
        client, "POST", f"{path}/correct", token, json={"reason": "A branch was missing"}
    )
    assert corrected.status_code == 201
    assert corrected.get_json()["version"] == 2
    assert corrected.get_json()["corrects_id"] == draft["id"]
    assert _count(factory, Declaration) == 2
    period = call(client, "GET", f"/periods/{year}", token).get_json()
    assert period["standing"] == "submitted"
    assert period["declaration_id"] == draft["id"]  # the filed one counts until the new is filed


def test_a_roster_import_checks_every_row_and_consent_before_writing(client, factory):
    org = factory.org()
    token = make_token(factory, org.hr_email)
    header = call(client, "GET", "/imports/template", token, query_string={"kind": "roster"})
    columns = header.data.decode("utf-8-sig").strip().split(",")
    assert "consent_method" in columns
    rows = [
        ",".join(columns),
        "E-1,Siti Rahma,Kantor pusat,permanent,2022-01-03,,"
        "employee,,written,2024-01-02,2026-11,physical,,kpd,,,",
        # Disability details with no consent: refused, and nothing of the file is written.
        "E-2,Budi Santoso,Kantor pusat,permanent,2022-01-03,,,,,,,sensory,,,,,",
    ]
    body = ("\n".join(rows) + "\n").encode()
    upload = call(
        client,
        "POST",
        "/imports",
        token,
        query_string={"kind": "roster"},
        data=body,
        content_type="text/csv",
    )
    assert upload.status_code == 201, upload.get_data(as_text=True)
    job = upload.get_json()
    assert job["status"] == "invalid"
    assert any(e["row"] == 3 for e in job["errors"]), job["errors"]
    assert _count(factory, Employee) == 0
    problem(call(client, "POST", f"/imports/{job['id']}/confirm", token), 422)
    good = call(
        client,
        "POST",
        "/imports",
        token,
        query_string={"kind": "roster"},
        data=("\n".join(rows[:2]) + "\n").encode(),
        content_type="text/csv",
    ).get_json()
    assert good["status"] == "ready"
    done = call(client, "POST", f"/imports/{good['id']}/confirm", token).get_json()
    assert done["status"] == "done"
    assert done["created"] == 1
    assert _count(factory, Employee) == 1
    problem(
        call(
            client,
            "POST",
            "/imports",
            token,
            query_string={"kind": "roster"},
            data=b"x",
            content_type="image/png",
        ),
        415,
    )
