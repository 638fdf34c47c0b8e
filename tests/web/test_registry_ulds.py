"""Administrators' ULD directory pages: add a ULD, attach an officer."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from compliance.models import Role
from compliance.models.registry import Uld, uld_officers
from tests.support.web import login, post_form, text_of


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_admin_adds_a_uld_and_an_officer(client, factory):
    admin = factory.user(Role.ADMIN)
    officer = factory.user(Role.REGISTRY_OFFICER, regencies=("36.71",))
    login(client, admin.email)
    response = post_form(
        client,
        "/admin/ulds",
        {"name": "ULD Kota Tangerang", "province_code": "36", "regency_code": "36.71",
         "email": "uld@example.com", "phone": "021-555", "address": ""},
    )  # fmt: skip
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "ULD Kota Tangerang" in page
    with factory.session() as session:
        uld_id = session.scalar(select(Uld.id))
    response = post_form(
        client, f"/admin/ulds/{uld_id}/officers", {"officer_id": str(officer.id)},
        token_from=f"/admin/ulds/{uld_id}",
    )  # fmt: skip
    assert response.status_code == 302
    assert officer.email in text_of(client.get(f"/admin/ulds/{uld_id}"))
    with factory.session() as session:
        assert session.execute(select(uld_officers.c.uld_id)).scalar() == uld_id


def test_a_missing_name_is_shown_on_its_field_and_nothing_is_saved(client, factory):
    login(client, factory.user(Role.ADMIN).email)
    response = post_form(client, "/admin/ulds", {"name": "", "province_code": "36"})
    assert response.status_code == 422
    assert 'id="name-error"' in text_of(response)
    with factory.session() as session:
        assert session.scalar(select(Uld.id)) is None


def test_other_roles_do_not_see_the_directory(client, factory):
    login(client, factory.user(Role.REGISTRY_OFFICER, regencies=("36.71",)).email)
    assert client.get("/admin/ulds").status_code == 404
