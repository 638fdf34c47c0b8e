"""An inspectorate's system reads the dashboard and an organisation's file, records reviews and
cases through the API with the inspection pages' rules and reach; anyone checks a pack."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from compliance.models import AuditEvent, Role, User
from compliance.models.inspections import DeclarationReview, InspectionCase
from compliance.models.organizations import Organization
from compliance.services.declarations.status import period_status
from compliance.services.inspections import rebuild_summaries
from compliance.services.inspections.evidence_pack import build_pack
from tests.support.api import call, field_errors, make_token, problem
from tests.support.clock import last_year
from tests.support.declarations import fill_recent, submit_year
from tests.support.inspections import make_case
from tests.support.web import csrf_token


@pytest.fixture
def province(factory):
    """Jakarta (31): a big company with a gap, a BUMD that filed; one company in Surabaya."""
    big = factory.org(name="PT Besar Sekali", regency="31.71")
    bumd = factory.org(name="PD Pasar Jaya", sector="regional_soe", regency="31.71")
    elsewhere = factory.org(name="PT Surabaya Saja", regency="35.78")
    fill_recent(factory, big.id, {big.establishment_ids[0]: 1000})
    fill_recent(factory, bumd.id, {bumd.establishment_ids[0]: 150})
    declaration_id = submit_year(factory, bumd.id)
    fill_recent(factory, elsewhere.id, {elsewhere.establishment_ids[0]: 300})
    their_declaration_id = submit_year(factory, elsewhere.id)
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    with factory.session() as session:
        rebuild_summaries(session)
    return {
        "big": big,
        "bumd": bumd,
        "elsewhere": elsewhere,
        "declaration_id": declaration_id,
        "their_declaration_id": their_declaration_id,
        "token": make_token(factory, inspector.email, name="SIAPIK"),
        "inspector": inspector,
    }


def _count(factory, model) -> int:
    with factory.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_the_dashboard_ranks_the_province_with_the_pages_filters(client, province):
    token = province["token"]
    board = call(client, "GET", "/inspections/organizations", token).get_json()
    names = [row["name"] for row in board["items"]]
    assert names == ["PT Besar Sekali", "PD Pasar Jaya"]
    assert board["total"] == 2
    assert board["page"] == board["pages"] == 1
    assert board["items"][0]["due_year"]
    assert board["headline"]["organizations"] == 2
    soe = call(
        client, "GET", "/inspections/organizations", token, query_string={"sector": "regional_soe"}
    ).get_json()
    assert [row["name"] for row in soe["items"]] == ["PD Pasar Jaya"]
    wrong = call(
        client, "GET", "/inspections/organizations", token, query_string={"regency": "35.78"}
    )
    assert "regency" in field_errors(wrong)
    typo = call(client, "GET", "/inspections/organizations", token, query_string={"status": "x"})
    assert "status" in field_errors(typo)


def test_small_counts_are_suppressed_as_on_the_pages(client, province):
    board = call(client, "GET", "/inspections/organizations", province["token"]).get_json()
    for row in board["items"]:
        for key in ("required", "counted"):
            count = row[key]
            if count["count"] is None:
                assert count["shown"] in ("<5", "—")
            else:
                assert count["count"] >= 5 or count["count"] == 0
                assert count["shown"] == str(count["count"])


def test_the_file_shows_the_status_of_record_of_every_period(client, factory, province):
    bumd = province["bumd"]
    file = call(client, "GET", f"/inspections/organizations/{bumd.id}", province["token"])
    assert file.status_code == 200, file.get_json()
    body = file.get_json()
    assert body["nib"] == bumd.nib
    filed = next(p for p in body["periods"] if p["year"] == last_year())
    with factory.session() as session:
        organization = session.get(Organization, bumd.id)
        truth = period_status(session, organization, last_year())
    assert filed["standing"] == truth.standing.value == "submitted"
    assert filed["declaration_id"] == truth.declaration_id == province["declaration_id"]
    assert filed["result"]["gap"] == truth.result.gap
    assert "names" not in str(body["roster"])


def test_reviews_are_recorded_and_read(client, factory, province):
    token, declaration_id = province["token"], province["declaration_id"]
    path = f"/inspections/declarations/{declaration_id}/reviews"
    missing = call(client, "POST", path, token, json={"outcome": "correction_requested"})
    assert "message" in field_errors(missing)
    assert _count(factory, DeclarationReview) == 0
    key = {"Idempotency-Key": "review-1"}
    body = {"outcome": "correction_requested", "message": "Lampirkan bukti disabilitas."}
    first = call(client, "POST", path, token, json=body, headers=key)
    again = call(client, "POST", path, token, json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert _count(factory, DeclarationReview) == 1
    listed = call(
        client, "GET", f"/inspections/organizations/{province['bumd'].id}/reviews", token
    ).get_json()
    assert [r["outcome"] for r in listed["items"]] == ["correction_requested"]
    with factory.session() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event.action == "inspection.declaration_correction_requested"
        assert event.data["api_token"] == "SIAPIK"


def test_a_case_is_opened_read_and_escalated_only_with_a_reason_before_its_deadline(
    client, factory, province
):
    token, declaration_id = province["token"], province["declaration_id"]
    path = f"/inspections/declarations/{declaration_id}/cases"
    opened = call(client, "POST", path, token, json={"finding": "Kurang 2 orang"})
    assert opened.status_code == 201, opened.get_json()
    case = opened.get_json()
    assert case["stage"] == "nota_1"
    assert case["is_before_deadline"]
    assert opened.headers["Location"].endswith(f"/inspections/cases/{case['id']}")
    assert call(client, "GET", f"/inspections/cases/{case['id']}", token).get_json() == case
    escalate = f"/inspections/cases/{case['id']}/escalate"
    assert "reason" in field_errors(call(client, "POST", escalate, token, json={}))
    body = {"reason": "Perusahaan menolak memperbaiki."}
    key = {"Idempotency-Key": f"escalate-{case['id']}"}
    escalated = call(client, "POST", escalate, token, json=body, headers=key).get_json()
    assert escalated["stage"] == "nota_2"
    assert [e["kind"] for e in escalated["events"]] == ["opened", "nota_2"]
    # A retry of the same request does not escalate twice (nota II to a referral).
    retried = call(client, "POST", escalate, token, json=body, headers=key)
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert (
        call(client, "GET", f"/inspections/cases/{case['id']}", token).get_json()["stage"]
        == "nota_2"
    )


def test_other_roles_are_refused_and_other_provinces_are_not_found(client, factory, province):
    token = province["token"]
    elsewhere = province["elsewhere"]
    case_id = make_case(factory, elsewhere.id)
    for path in (
        f"/inspections/organizations/{elsewhere.id}",
        f"/inspections/organizations/{elsewhere.id}/reviews",
        f"/inspections/cases/{case_id}",
    ):
        problem(call(client, "GET", path, token), 404)
    their = province["their_declaration_id"]
    refused = call(
        client, "POST", f"/inspections/declarations/{their}/reviews", token,
        json={"outcome": "accepted"},
    )  # fmt: skip
    problem(refused, 404)
    problem(call(client, "POST", f"/inspections/cases/{case_id}/escalate", token, json={}), 404)
    assert _count(factory, DeclarationReview) == 0
    hr = make_token(factory, province["bumd"].hr_email)
    problem(call(client, "GET", "/inspections/organizations", hr), 403)
    problem(call(client, "GET", f"/inspections/organizations/{province['bumd'].id}", hr), 403)
    # Admins read every organisation's file, as on the pages; the dashboard is inspectors'.
    admin = make_token(factory, factory.user(Role.ADMIN).email)
    assert (
        call(client, "GET", f"/inspections/organizations/{elsewhere.id}", admin).status_code == 200
    )
    problem(call(client, "GET", "/inspections/organizations", admin), 403)
    reader = make_token(factory, province["inspector"].email, can_write=False)
    accept = call(
        client, "POST", f"/inspections/declarations/{province['declaration_id']}/reviews",
        reader, json={"outcome": "accepted"},
    )  # fmt: skip
    problem(accept, 403)
    assert _count(factory, InspectionCase) == 1  # only the one made above


def _pack(factory, province) -> bytes:
    with factory.session() as session:
        inspector = session.get(User, province["inspector"].id)
        return build_pack(session, inspector, province["bumd"].id, last_year()).data


def test_anyone_verifies_a_pack_sent_raw_or_as_a_form(client, factory, province):
    data = _pack(factory, province)
    raw = call(
        client, "POST", "/evidence-packs/verify", data=data,
        headers={"Content-Type": "application/zip"},
    )  # fmt: skip
    assert raw.status_code == 200, raw.get_data(as_text=True)
    assert raw.get_json()["is_intact"] is True
    assert raw.get_json()["manifest"]["period"] == str(last_year())
    assert raw.headers["RateLimit-Limit"] == "20"
    form = call(
        client, "POST", "/evidence-packs/verify",
        data={"pack": (io.BytesIO(data), "paket.zip")}, content_type="multipart/form-data",
    )  # fmt: skip
    assert form.get_json()["is_intact"] is True
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as copy:
        for info in source.infolist():
            content = source.read(info)
            copy.writestr(info, content + b"x" if info.filename == "bukti.xlsx" else content)
    tampered = call(
        client, "POST", "/evidence-packs/verify", data=buffer.getvalue(),
        headers={"Content-Type": "application/zip"},
    )  # fmt: skip
    assert tampered.get_json()["is_intact"] is False
    assert "bukti.xlsx" in tampered.get_json()["problems"][0]
    empty = call(
        client, "POST", "/evidence-packs/verify", headers={"Content-Type": "application/zip"}
    )
    assert "pack" in field_errors(empty)
    wrong = call(
        client, "POST", "/evidence-packs/verify", data="{}", headers={"Content-Type": "text/plain"}
    )
    problem(wrong, 415)


def test_verification_is_rate_limited_with_the_page_and_the_count_holds(client, factory, province):
    for _ in range(20):
        answer = call(
            client, "POST", "/evidence-packs/verify", headers={"Content-Type": "application/zip"}
        )
        assert answer.status_code == 422  # refused uploads count too
    assert answer.headers["RateLimit-Remaining"] == "0"
    limited = call(
        client, "POST", "/evidence-packs/verify", headers={"Content-Type": "application/zip"}
    )
    body = problem(limited, 429)
    assert limited.headers["Retry-After"]
    assert body["detail"]
    # The verification page counts in the same bucket: it is refused too.
    page = client.post(
        "/evidence/verify", data={"csrf_token": csrf_token(client, "/evidence/verify")}
    )
    assert page.status_code == 429
