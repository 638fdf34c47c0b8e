"""Reviewing a submitted declaration over HTTP: accept, request a correction, record a finding
and follow the case through nota II, the HR manager's response with attachments, deadlines."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from compliance.models import Role
from compliance.models.files import FilePurpose, StoredFile
from compliance.models.inspections import (
    CaseAttachment,
    CaseEvent,
    CaseStage,
    InspectionCase,
)
from compliance.services.inspections.cases import flag_case_deadlines
from compliance.services.inspections.summary import summary_of
from compliance.services.inspections.working_days import add_working_days
from compliance.services.stored_files import store_file
from tests.support.clock import today
from tests.support.declarations import fill_year, submit_year
from tests.support.inspections import make_attachment, make_case
from tests.support.mail import sent_mails
from tests.support.web import csrf_token, login, prepared_download, text_of

#: Date-sensitive: case deadlines count days from today.
#: Also run at every instant of the calendar sweep (tests/support/clock.py).
pytestmark = pytest.mark.calendar

PDF = b"%PDF-1.4\n% test\n"


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def filed(factory):
    org = factory.org(name="PT Diperiksa", regency="31.71")
    fill_year(factory, org.id, {org.establishment_ids[0]: 300})
    declaration_id = submit_year(factory, org.id)
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    return org, declaration_id, inspector


def _post(client, path, data, token_from):
    return client.post(path, data={"csrf_token": csrf_token(client, token_from), **data})


def _cases(factory):
    with factory.session() as session:
        return session.scalar(select(func.count()).select_from(InspectionCase))


def test_accept_and_request_correction(client, factory, filed, outbox):
    org, declaration_id, inspector = filed
    login(client, inspector.email)
    page = f"/inspections/organizations/{org.id}"
    assert (
        _post(client, f"/inspections/declarations/{declaration_id}/accept", {}, page).status_code
        == 302
    )
    assert "Accepted" in text_of(client.get(page))
    response = _post(
        client, f"/inspections/declarations/{declaration_id}/correction", {"message": ""}, page
    )
    assert response.status_code == 422
    assert "Say what the organisation must correct." in text_of(response)
    response = _post(
        client,
        f"/inspections/declarations/{declaration_id}/correction",
        {"message": "Jumlah pekerja harian belum dilaporkan"},
        page,
    )
    assert response.status_code == 302
    with factory.session() as session:
        assert summary_of(session, org.id).review_outcome.value == "correction_requested"
    mails = [m.text for m in sent_mails(outbox)]
    assert any("Jumlah pekerja harian belum dilaporkan" in m for m in mails)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})
    login(client, org.hr_email)
    assert "Jumlah pekerja harian belum dilaporkan" in text_of(
        client.get("/organization/inspections")
    )
    # ...and on the declaration itself, where they will correct it.
    declaration_page = text_of(client.get(f"/declarations/{declaration_id}"))
    assert "Labour inspector's review" in declaration_page
    assert "Jumlah pekerja harian belum dilaporkan" in declaration_page


def test_bad_findings_change_nothing(client, factory, filed):
    org, declaration_id, inspector = filed
    login(client, inspector.email)
    page = f"/inspections/organizations/{org.id}"
    path = f"/inspections/declarations/{declaration_id}/finding"
    response = _post(client, path, {"finding": "  ", "deadline_on": ""}, page)
    assert response.status_code == 422
    assert "Describe the finding." in text_of(response)
    yesterday = today() - timedelta(days=1)
    response = _post(
        client, path, {"finding": "Kurang 3 orang", "deadline_on": yesterday.isoformat()}, page
    )
    assert response.status_code == 422
    assert "Choose a deadline after today." in text_of(response)
    assert _cases(factory) == 0


def test_finding_case_timeline_and_response(client, factory, filed, outbox):
    org, declaration_id, inspector = filed
    login(client, inspector.email)
    page = f"/inspections/organizations/{org.id}"
    response = _post(
        client,
        f"/inspections/declarations/{declaration_id}/finding",
        {"finding": "Kurang 3 orang"},
        page,
    )
    assert response.status_code == 302
    case_path = response.location
    with factory.session() as session:
        case = session.scalar(select(InspectionCase))
        case_id = case.id
        assert case.stage is CaseStage.NOTA_1
        assert case.deadline_on == add_working_days(today(), 30)
    text = text_of(client.get(case_path))
    assert "Nota pemeriksaan I" in text
    assert "Kurang 3 orang" in text
    assert any("Kurang 3 orang" in m.text for m in sent_mails(outbox))

    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})
    login(client, org.hr_email)
    hr_path = f"/organization/inspections/cases/{case_id}"
    assert "Kurang 3 orang" in text_of(client.get(hr_path))
    token = csrf_token(client, hr_path)
    response = client.post(
        hr_path,
        data={
            "csrf_token": token,
            "note": "Sudah merekrut",
            "files": (io.BytesIO(b"MZ evil"), "x.exe"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "is not a PDF, PNG or JPEG file" in text_of(response)
    response = client.post(
        hr_path,
        data={
            "csrf_token": token,
            "note": "Sudah merekrut",
            "files": (io.BytesIO(PDF), "kontrak.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    text = text_of(client.get(hr_path))
    assert "Sudah merekrut" in text
    assert "kontrak.pdf" in text
    with factory.session() as session:
        attachment_id = (
            session.scalar(select(CaseEvent).where(CaseEvent.note == "Sudah merekrut"))
            .attachments[0]
            .id
        )
    download = client.get(f"/inspections/attachments/{attachment_id}")
    assert download.status_code == 200
    assert download.data == PDF
    download.close()

    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})
    login(client, inspector.email)
    download = client.get(f"/inspections/attachments/{attachment_id}")
    assert download.data == PDF
    download.close()
    # Nota I's 30 working days are still running: nota II only with a stated reason
    # (tests/web/test_inspections_deadlines.py has the refusal without one).
    response = _post(
        client,
        f"/inspections/cases/{case_id}/escalate",
        {
            "note": "Belum cukup",
            "escalate-reason": "Perusahaan menyatakan tidak akan merekrut",
            "confirmed": "yes",
        },
        case_path,
    )
    assert response.status_code == 302
    with factory.session() as session:
        case = session.get(InspectionCase, case_id)
        assert case.stage is CaseStage.NOTA_2
        assert case.deadline_on == today() + timedelta(days=14)
    _post(
        client,
        f"/inspections/cases/{case_id}/escalate",
        {"escalate-reason": "Tidak ada tanggapan", "confirmed": "yes"},
        case_path,
    )
    with factory.session() as session:
        assert session.get(InspectionCase, case_id).stage is CaseStage.REFERRED
    assert "Referred for investigation" in text_of(client.get(case_path))


def test_deadline_reminders_and_flags_are_idempotent(app, client, factory, filed):
    org, declaration_id, inspector = filed
    login(client, inspector.email)
    page = f"/inspections/organizations/{org.id}"
    _post(
        client, f"/inspections/declarations/{declaration_id}/finding", {"finding": "Kurang"}, page
    )
    with factory.session() as session:
        deadline = session.scalar(select(InspectionCase.deadline_on))
    near = datetime.combine(deadline - timedelta(days=2), datetime.min.time())
    after = datetime.combine(deadline + timedelta(days=1), datetime.min.time())
    with app.test_request_context(), factory.session() as session:
        assert flag_case_deadlines(session, near) == 1
        assert flag_case_deadlines(session, near) == 0
        assert flag_case_deadlines(session, after) == 1
        assert flag_case_deadlines(session, after) == 0
        kinds = [e.kind.value for e in session.scalar(select(InspectionCase)).events]
    assert kinds == ["opened", "reminder", "deadline_passed"]


def test_evidence_pack_download_and_public_verification(client, factory, filed):
    org, _declaration_id, inspector = filed
    login(client, inspector.email)
    page = f"/inspections/organizations/{org.id}"
    path = f"{page}/evidence-pack"
    response = _post(
        client, path, {"pack-year": "2025", "pack-include_names": "y", "pack-reason": ""}, page
    )
    assert response.status_code == 422
    assert "State why you need the names." in text_of(response)
    response = prepared_download(client, _post(client, path, {"pack-year": "2025"}, page))
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    pack = response.data
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})

    token = csrf_token(client, "/evidence/verify")
    response = client.post(
        "/evidence/verify",
        data={"csrf_token": token, "pack": (io.BytesIO(pack), "pack.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "Intact and authentic" in text_of(response)
    assert "PT Diperiksa" in text_of(response)
    response = client.post(
        "/evidence/verify",
        data={"csrf_token": token, "pack": (io.BytesIO(pack[:-50]), "pack.zip")},
        content_type="multipart/form-data",
    )
    assert "Not intact or not authentic" in text_of(response)
    assert "cut short" in text_of(response)
    response = client.post("/evidence/verify", data={"csrf_token": token})
    assert response.status_code == 422
    assert "Choose a ZIP file." in text_of(response)


def test_inspector_of_another_province_reaches_nothing(client, factory, filed):
    org, declaration_id, _inspector = filed  # PT Diperiksa: Jakarta only
    other = factory.user(Role.INSPECTOR, provinces=("35",))
    login(client, other.email)
    assert "PT Diperiksa" not in text_of(client.get("/inspections"))
    page = f"/inspections/organizations/{org.id}"
    assert client.get(page).status_code == 404
    token = csrf_token(client, "/inspections")
    for path, data in [
        (f"{page}/names", {"reason": "x"}),
        (f"{page}/evidence-pack", {"pack-year": "2025"}),
        (f"/inspections/declarations/{declaration_id}/accept", {}),
        (f"/inspections/declarations/{declaration_id}/correction", {"message": "x"}),
        (f"/inspections/declarations/{declaration_id}/finding", {"finding": "x"}),
    ]:
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 404, path
    assert _cases(factory) == 0


def test_declaration_page_partial_shows_the_review(app, client, factory, filed):
    from flask import render_template

    from compliance.extensions import db
    from compliance.models import Declaration, Reach
    from compliance.models.tenancy import reach_scope

    org, declaration_id, inspector = filed
    login(client, inspector.email)
    page = f"/inspections/organizations/{org.id}"
    message = "Lampirkan KPD pekerja"
    _post(
        client, f"/inspections/declarations/{declaration_id}/correction", {"message": message}, page
    )
    with app.test_request_context(), reach_scope(db.session, Reach(organization_id=org.id)):
        declaration = db.session.get(Declaration, declaration_id)
        html = render_template("inspections/_declaration_reviews.html", declaration=declaration)
    assert message in html


def test_an_attachment_from_before_the_database_kept_files_still_downloads(client, factory, config):
    """Migration 0019 moved new files into the database; one sent before it stays in the
    instance folder and is served from there. A stored file whose bytes no longer match their
    SHA-256 is never served."""
    org = factory.org(name="PT Lama")
    case_id = make_case(factory, org.id)
    old = b"%PDF-1.4 sent before the upgrade\n"
    folder = config.instance_path / "case_attachments"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ("a" * 32)).write_bytes(old)
    with factory.session() as session:
        event = session.scalar(select(CaseEvent).where(CaseEvent.case_id == case_id))
        legacy = CaseAttachment(
            organization_id=org.id,
            event_id=event.id,
            filename="lama.pdf",
            stored_name="a" * 32,
            content_type="application/pdf",
            size=len(old),
            sha256="0" * 64,
        )
        session.add(legacy)
        session.flush()
        legacy_id = legacy.id
    new_id = make_attachment(factory, case_id, b"%PDF-1.4 sent after\n")
    login(client, org.hr_email)
    assert client.get(f"/inspections/attachments/{legacy_id}").data == old
    assert client.get(f"/inspections/attachments/{new_id}").data == b"%PDF-1.4 sent after\n"

    with factory.session() as session:  # someone with database access swaps the bytes
        stored = session.get(CaseAttachment, new_id).file_id
        forged = store_file(session, org.id, FilePurpose.CASE_ATTACHMENT, b"%PDF-1.4 forged\n")
        token = select(StoredFile.content).where(StoredFile.id == forged.id).scalar_subquery()
        session.execute(update(StoredFile).where(StoredFile.id == stored).values(content=token))
    refused = client.get(f"/inspections/attachments/{new_id}")
    assert refused.status_code == 400
    assert "This file was changed after it was stored, so it is not served." in text_of(refused)
