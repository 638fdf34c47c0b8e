"""The set-up commands a newcomer runs: `flask regions load` and `flask demo-data`."""

from __future__ import annotations

from sqlalchemy import select

from compliance.models import Organization, Role, User
from compliance.services.demo import DEMO_PASSWORD
from tests.support.web import login, text_of


def test_regions_load_is_idempotent(app):
    result = app.test_cli_runner().invoke(args=["regions", "load"])
    assert result.exit_code == 0, result.output
    assert "0 provinces and 0 regencies/cities added, 0 names updated" in result.output


def test_demo_data_gives_one_organisation_per_sector_and_every_role(app, client, factory):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo-data"])
    assert first.exit_code == 0, first.output
    assert DEMO_PASSWORD in first.output
    second = runner.invoke(args=["demo-data"])
    assert second.output == first.output  # idempotent: same logins, nothing duplicated
    with factory.session() as session:
        sectors = sorted(o.sector.value for o in session.scalars(select(Organization)))
        roles = {u.role for u in session.scalars(select(User))}
        logins = [u.email for u in session.scalars(select(User))]
    assert sectors == sorted(
        ["central_government", "regional_government", "soe", "regional_soe", "private"]
    )
    assert roles == set(Role)
    for email in logins:
        assert email in first.output
    login(client, "inspektur@disnaker.demo", DEMO_PASSWORD)
    page = text_of(client.get("/inspections"))
    assert "Kementerian Contoh Ketenagakerjaan" in page  # Jakarta
    assert "PT Maju Bersama Demo" in page  # Bekasi, Jawa Barat
    assert "PD Bantul Sejahtera" not in page  # Yogyakarta


def test_demo_company_has_figures_and_a_consented_roster(app, client):
    app.test_cli_runner().invoke(args=["demo-data"])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, "hr@maju-bersama.demo", DEMO_PASSWORD)
    page = text_of(client.get("/gap"))
    # 300 workers in a private company: ceil(1% x 300) = 3; two consented employees count.
    assert "Required 3, counted 2, gap 1." in page
