"""An admin creates inspector and officer accounts and assigns their regions."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from compliance.models import Role, User
from tests.support.mail import sent_mails
from tests.support.web import csrf_token, login, post_form, text_of


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def admin(client, factory):
    user = factory.user(Role.ADMIN)
    login(client, user.email)
    return user


def test_admin_creates_an_inspector_who_sets_a_password_and_sees_their_province(
    app, client, factory, admin, outbox
):
    factory.org(name="PT Di Bandung", regency="32.73")
    factory.org(name="PT Di Surabaya", regency="35.78")
    response = post_form(
        client,
        "/admin/users",
        {
            "name": "Inspektur Jabar",
            "email": "jabar@disnaker.example.com",
            "role": "inspector",
            "provinces": ["32"],
        },
    )
    assert response.status_code == 302
    (mail,) = sent_mails(outbox)
    body = mail.text
    setup = re.search(r"https?://[^\s]+(/account/setup/[^\s]+)", body).group(1)
    inspector = app.test_client()
    inspector.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert (
        post_form(
            inspector,
            setup,
            {
                "password": "pengawas jawa barat",
                "password_confirm": "pengawas jawa barat",
            },
        ).status_code
        == 302
    )
    login(inspector, "jabar@disnaker.example.com", "pengawas jawa barat")
    page = text_of(inspector.get("/inspections"))
    assert "PT Di Bandung" in page
    assert "PT Di Surabaya" not in page


def test_admin_creates_a_registry_officer_for_regencies(client, factory, admin):
    response = post_form(
        client,
        "/admin/users",
        {
            "name": "Petugas ULD",
            "email": "uld@tangerang.example.com",
            "role": "registry_officer",
            "regencies": ["36.71", "36.03"],
        },
    )
    assert response.status_code == 302
    with factory.session() as session:
        officer = session.scalar(select(User).where(User.email == "uld@tangerang.example.com"))
        assert sorted(r.code for r in officer.regencies) == ["36.03", "36.71"]


def test_inspector_without_province_is_refused(client, factory, admin):
    with factory.session() as session:
        before = session.scalar(select(func.count()).select_from(User))
    response = post_form(
        client,
        "/admin/users",
        {
            "name": "Tanpa Wilayah",
            "email": "x@example.com",
            "role": "inspector",
        },
    )
    assert response.status_code == 422
    page = text_of(response)
    assert "Choose at least one province from the list." in page
    assert 'id="provinces-error"' in page
    with factory.session() as session:
        assert session.scalar(select(func.count()).select_from(User)) == before


def test_admin_deactivates_an_account_and_its_sessions_end(app, client, factory, admin):
    officer = factory.user(Role.REGISTRY_OFFICER, regencies=("36.71",))
    officer_client = app.test_client()
    login(officer_client, officer.email)
    edit = f"/admin/users/{officer.id}"
    step = post_form(client, edit, {"regencies": ["36.71"]})  # is_active unchecked
    assert step.status_code == 200  # the confirmation step: still active
    assert "can no longer log in" in text_of(step)
    assert officer_client.get("/dashboard").status_code != 302
    response = post_form(client, edit, {"regencies": ["36.71"], "confirmed": "yes"})
    assert response.status_code == 302
    assert officer_client.get("/dashboard").status_code == 302


def test_admin_records_an_inspectors_nip_checked_at_its_field(client, factory, admin):
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    edit = f"/admin/users/{inspector.id}"
    fields = {"provinces": ["31"], "is_active": "y"}
    for wrong in ("1985 0101 2010", "19850101201001100A", "1985010120100110011"):
        response = post_form(client, edit, {**fields, "nip": wrong})
        assert response.status_code == 422, wrong
        page = text_of(response)
        assert "A NIP has 18 digits, for example 19850101 201001 1 001." in page
        assert 'id="nip-error"' in response.get_data(as_text=True)
    with factory.session() as session:
        assert session.get(User, inspector.id).nip is None  # nothing stored

    response = post_form(client, edit, {**fields, "nip": " 19850101 201001 1 001 "})
    assert response.status_code == 302
    with factory.session() as session:
        assert session.get(User, inspector.id).nip == "198501012010011001"
    form = client.get(edit).get_data(as_text=True)
    assert 'value="19850101 201001 1 001"' in form  # shown as it is printed on letters


def test_non_admins_do_not_find_the_admin_pages(client, factory):
    org = factory.org()
    login(client, org.hr_email)
    assert client.get("/admin/users").status_code == 404
    token = csrf_token(client, "/organization")
    response = client.post(
        "/admin/users",
        data={"csrf_token": token, "name": "x", "email": "evil@example.com", "role": "admin"},
    )
    assert response.status_code == 404
