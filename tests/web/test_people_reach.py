"""People data follow the establishment (issue 14, item 13): an inspector of DKI Jakarta reaches
a company through its Jakarta head office, but the names of the staff at its Banten branch are
not theirs to see, on the page or in an evidence pack. The counts stay the organisation's."""

from __future__ import annotations

import io
import zipfile

from python_calamine import CalamineWorkbook

from compliance.models import Employee, Role
from tests.support.clock import last_year
from tests.support.declarations import fill_year, submit_year
from tests.support.roster import make_employee
from tests.support.web import csrf_token, login, prepared_download, text_of


def _company(factory):
    org = factory.org(name="PT Dua Provinsi", regency="31.71", other_regencies=("36.71",))
    jakarta, banten = org.establishment_ids
    make_employee(factory, org.id, number="J-1", name="Rina Jakarta", details=True)
    branch_worker = make_employee(factory, org.id, number="B-1", name="Budi Banten", details=True)
    with factory.session() as session:
        session.get(Employee, branch_worker).establishment_id = banten
    fill_year(factory, org.id, {jakarta: 150, banten: 100})
    submit_year(factory, org.id)
    return org


def test_names_are_shown_only_for_establishments_in_the_inspectors_provinces(client, factory):
    org = _company(factory)
    inspector = factory.user(Role.INSPECTOR, provinces=("31", "32"))
    login(client, inspector.email)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    path = f"/inspections/organizations/{org.id}"
    response = client.post(
        f"{path}/names", data={"csrf_token": csrf_token(client, path), "reason": "Nota 3/2026"}
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Rina Jakarta" in page
    assert "Budi Banten" not in page


def test_an_evidence_pack_names_only_the_people_in_reach(client, factory):
    org = _company(factory)
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    login(client, inspector.email)
    page = f"/inspections/organizations/{org.id}"
    response = client.post(
        f"{page}/evidence-pack",
        data={
            "csrf_token": csrf_token(client, page),
            "pack-year": str(last_year()),
            "pack-include_names": "y",
            "pack-reason": "Nota 3/2026",
        },
    )
    response = prepared_download(client, response)
    assert response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        book = CalamineWorkbook.from_filelike(io.BytesIO(archive.read("bukti.xlsx")))
    cells = {
        str(cell)
        for sheet in book.sheet_names
        for row in book.get_sheet_by_name(sheet).to_python()
        for cell in row
    }
    assert "Rina Jakarta" in cells
    assert "Budi Banten" not in cells
    assert "B-1" not in cells  # a pseudonym instead of the employee number
