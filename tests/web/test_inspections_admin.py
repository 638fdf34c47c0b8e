"""Admins' national and province summaries and their audited XLSX export."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from compliance.models import AuditEvent, Role
from tests.support.declarations import fill_recent
from tests.support.web import csrf_token, login, prepared_download, text_of

#: Date-sensitive: national and province summaries count overdue declarations.
#: Also run at every instant of the calendar sweep (tests/support/clock.py).
pytestmark = pytest.mark.calendar


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def admin(factory):
    jakarta = factory.org(name="PT Jakarta Raya", regency="31.71", other_regencies=("35.78",))
    fill_recent(
        factory, jakarta.id, {jakarta.establishment_ids[0]: 700, jakarta.establishment_ids[1]: 300}
    )
    factory.org(name="PT Hanya Surabaya", regency="35.78")
    return factory.user(Role.ADMIN)


def test_national_and_province_summaries(client, admin):
    login(client, admin.email)
    page = text_of(client.get("/admin/inspections"))
    assert "Daerah Khusus Ibukota Jakarta" in page
    assert "Jawa Timur" in page
    page = text_of(client.get("/admin/inspections?province=35"))
    assert "PT Hanya Surabaya" in page
    assert "PT Jakarta Raya" in page
    page = text_of(client.get("/admin/inspections?province=31"))
    assert "PT Jakarta Raya" in page
    assert "PT Hanya Surabaya" not in page
    assert client.get("/admin/inspections?province=99").status_code == 400


def test_export_is_an_xlsx_and_an_audit_event(client, factory, admin):
    login(client, admin.email)
    token = csrf_token(client, "/admin/inspections")
    response = client.post(
        "/admin/inspections/export", data={"csrf_token": token, "province": "31"}
    )
    response = prepared_download(client, response)
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.data))
    national = book.get_sheet_by_name("Nasional (National)").to_python()
    assert [row[0] for row in national[1:]] == ["Daerah Khusus Ibukota Jakarta", "Jawa Timur"]
    regencies = book.get_sheet_by_name("Kabupaten-Kota (Regencies)").to_python()
    assert regencies[1][0] == "Kota Administrasi Jakarta Pusat"  # names, never codes
    with factory.session() as session:
        event = session.scalar(
            select(AuditEvent).where(AuditEvent.action == "inspection.summary_exported")
        )
        assert event.data == {"scope": "31"}


def test_province_export_lists_its_organisations_as_its_inspectors_rank_them(client, admin):
    """The organisations sheet is streamed row by row (constant_memory); it holds the province's
    organisations only, each with the status of record the dashboard shows."""
    login(client, admin.email)
    token = csrf_token(client, "/admin/inspections")
    response = prepared_download(
        client,
        client.post("/admin/inspections/export", data={"csrf_token": token, "province": "35"}),
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.data))
    sheet = book.get_sheet_by_name("Organisasi (Organisations)").to_python()
    assert sheet[0][:2] == ["Organisasi (Organisation)", "NIB"]
    assert sorted(row[0] for row in sheet[1:]) == ["PT Hanya Surabaya", "PT Jakarta Raya"]
    page = text_of(client.get("/admin/inspections?province=35"))
    for row in sheet[1:]:
        assert row[4] in page  # the status label the province's ranking shows
    response = prepared_download(
        client, client.post("/admin/inspections/export", data={"csrf_token": token})
    )
    national = CalamineWorkbook.from_filelike(io.BytesIO(response.data))
    assert "Organisasi (Organisations)" not in national.sheet_names


def test_other_roles_do_not_see_the_admin_summary(client, factory):
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    login(client, inspector.email)
    assert client.get("/admin/inspections").status_code == 404
