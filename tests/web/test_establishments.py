"""An HR manager keeps the establishments and their monthly workforce figures through the pages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from compliance.models import AuditEvent, Establishment, WorkforceFigure
from compliance.services.dates import add_months, month_start, previous_month
from tests.support.clock import today
from tests.support.web import login, post_form, text_by_id, text_of, visible_text

NEW_BRANCH = {
    "name": "Cabang Bandung",
    "regency_code": "32.73",
    "address": "Jl. Asia Afrika 1",
    "wlkp_number": "WLKP-3273-0001",
    "wlkp_registered_on": "2024-03-31",
}
PRIVATE_COUNTS = {
    "permanent": "120",
    "fixed_term": "30",
    "daily": "0",
    "part_time": "4",
    "outsourced": "12",
    "intern": "3",
}


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def org(client, factory):
    org = factory.org(name="PT Cabang Banyak")
    login(client, org.hr_email)
    return org


def _count(factory, model) -> int:
    with factory.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def _actions(factory) -> list[str]:
    with factory.session() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _field_error(page: str, field_id: str) -> str:
    """The error shown at a field (tied to it by id), without the screen reader's "Error:"."""
    text = text_by_id(page, f"{field_id}-error")
    assert text is not None, f"no error shown at {field_id}"
    return text.removeprefix("Error:").strip()


def _month(offset: int = 0) -> str:
    return f"{add_months(month_start(today()), offset):%Y-%m}"


# --- establishments -------------------------------------------------------------------------


def test_the_hr_menu_links_the_establishments(client, org):
    page = text_of(client.get("/organization"))
    assert 'href="/establishments"' in page
    listing = text_of(client.get("/establishments"))
    assert "Establishments of your organisation" in visible_text(listing)
    assert "Kantor pusat" in listing


def test_add_edit_close_and_reopen_an_establishment(client, factory, org):
    response = post_form(client, "/establishments/new", NEW_BRANCH)
    assert response.status_code == 302
    with factory.session() as session:
        branch = session.scalar(select(Establishment).where(Establishment.name == "Cabang Bandung"))
        branch_id = branch.id
        assert (branch.wlkp_number, f"{branch.wlkp_registered_on}") == (
            "WLKP-3273-0001",
            "2024-03-31",
        )
    assert "WLKP-3273-0001" in text_of(client.get("/establishments"))

    edit = f"/establishments/{branch_id}/edit"
    assert 'value="Cabang Bandung"' in text_of(client.get(edit))
    response = post_form(client, edit, {**NEW_BRANCH, "name": "Cabang Bandung Timur"})
    assert response.status_code == 302

    close = f"/establishments/{branch_id}/close"
    step = post_form(client, close, {}, token_from="/establishments")
    assert step.status_code == 200  # the confirmation step: nothing closed yet
    assert "Close Cabang Bandung Timur?" in text_of(step)
    assert "Closed on" not in text_of(client.get("/establishments"))
    response = post_form(client, close, {"confirmed": "yes"}, token_from="/establishments")
    assert response.status_code == 302
    listing = text_of(client.get("/establishments"))
    assert "Cabang Bandung Timur" in listing
    assert "Closed on" in listing
    response = post_form(
        client, f"/establishments/{branch_id}/reopen", {}, token_from="/establishments"
    )
    assert response.status_code == 302
    with factory.session() as session:
        assert session.get(Establishment, branch_id).closed_at is None
    assert _actions(factory) == [
        "establishment.added",
        "establishment.updated",
        "establishment.closed",
        "establishment.reopened",
    ]


def test_the_only_open_establishment_stays_open(client, factory, org):
    (head,) = org.establishment_ids
    response = post_form(client, f"/establishments/{head}/close", {}, token_from="/establishments")
    assert response.status_code == 302
    page = text_of(client.get("/establishments"))
    assert "only open establishment" in page
    with factory.session() as session:
        assert session.get(Establishment, head).closed_at is None
    assert _actions(factory) == []


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"regency_code": "99.99"}, "regency_code", "Choose a regency or city from the list."),
        ({"wlkp_registered_on": "31/03/2024"}, "wlkp_registered_on", "Enter a date as YYYY-MM-DD"),
        ({"wlkp_registered_on": "2999-01-01"}, "wlkp_registered_on", "cannot be in the future"),
        ({"wlkp_number": "W" * 51}, "wlkp_number", "Use at most 50 characters."),
    ],
)
def test_bad_establishment_input_is_refused_at_its_field(
    client, factory, org, change, field, message
):
    response = post_form(client, "/establishments/new", {**NEW_BRANCH, **change})
    assert response.status_code == 422
    assert message in _field_error(text_of(response), field)
    assert _count(factory, Establishment) == 1
    assert _actions(factory) == []


# --- workforce figures ----------------------------------------------------------------------


@pytest.mark.calendar  # months judged against today
def test_the_figures_form_defaults_to_last_month_with_plain_labels(client, org):
    page = text_of(client.get(f"/establishments/{org.establishment_ids[0]}/figures"))
    assert f'value="{previous_month(today()):%Y-%m}"' in page
    assert re.search(r'<label [^>]*for="permanent">Permanent workers \(PKWTT\)[ <]', page)
    assert 'id="pns"' not in page  # a private company has no civil servants
    assert "Headcount in the last 12 months" in visible_text(page)
    assert page.count('<th scope="row">') == 12


def test_public_bodies_get_civil_service_fields(client, factory):
    body = factory.org(sector="central_government")
    login(client, body.hr_email)
    page = text_of(client.get(f"/establishments/{body.establishment_ids[0]}/figures"))
    for code in ("pns", "pppk", "honorer", "permanent", "intern"):
        assert f'id="{code}"' in page
    assert "Civil servants (PNS)" in page


@pytest.mark.calendar  # months judged against today
def test_saving_figures_shows_them_and_re_saving_writes_nothing(client, factory, org):
    path = f"/establishments/{org.establishment_ids[0]}/figures?month={_month(-2)}"
    response = post_form(client, path, PRIVATE_COUNTS)
    assert response.status_code == 302
    assert _count(factory, WorkforceFigure) == 6
    page = text_of(client.get(path))
    assert 'value="120"' in page  # the form shows the month's values
    assert '<td class="number">120</td>' in page  # and so does the table
    response = post_form(client, path, PRIVATE_COUNTS)
    assert response.status_code == 302
    assert "Nothing changed" in text_of(client.get(response.headers["Location"]))
    response = post_form(client, path, {**PRIVATE_COUNTS, "permanent": "121"})
    assert _actions(factory) == ["workforce.figures_recorded", "workforce.figures_recorded"]
    with factory.session() as session:
        data = session.scalars(select(AuditEvent.data).order_by(AuditEvent.id)).all()[-1]
    assert data == {"month": _month(-2), "changes": {"permanent": [120, 121]}}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-3", "The number of people cannot be negative."),
        ("dua belas", "Enter a whole number of people, without dots or commas."),
        ("1.5", "Enter a whole number of people, without dots or commas."),
        ("", "Enter the number of people (0 if there are none)."),
    ],
)
def test_bad_headcounts_are_refused_at_their_field(client, factory, org, value, message):
    path = f"/establishments/{org.establishment_ids[0]}/figures?month={_month(-1)}"
    response = post_form(client, path, {**PRIVATE_COUNTS, "part_time": value})
    assert response.status_code == 422
    assert _field_error(text_of(response), "part_time") == message  # one clear message
    assert _count(factory, WorkforceFigure) == 0


@pytest.mark.calendar  # months judged against today
def test_a_future_month_is_refused_at_the_month_field(client, factory, org):
    path = f"/establishments/{org.establishment_ids[0]}/figures?month={_month(1)}"
    response = client.get(path)
    assert response.status_code == 422
    assert "future month" in _field_error(text_of(response), "month")
    response = post_form(client, path, PRIVATE_COUNTS, token_from="/establishments")
    assert response.status_code == 422
    assert "future month" in _field_error(text_of(response), "month")
    assert _count(factory, WorkforceFigure) == 0


def test_a_malformed_month_is_refused(client, org):
    response = client.get(f"/establishments/{org.establishment_ids[0]}/figures?month=juni")
    assert response.status_code == 422
    assert "YYYY-MM" in _field_error(text_of(response), "month")


def test_a_closed_establishment_takes_no_figures(client, factory):
    org = factory.org(other_regencies=("32.73",))
    login(client, org.hr_email)
    branch = org.establishment_ids[1]
    post_form(
        client,
        f"/establishments/{branch}/close",
        {"confirmed": "yes"},
        token_from="/establishments",
    )
    path = f"/establishments/{branch}/figures?month={_month(-1)}"
    assert "This establishment is closed" in text_of(client.get(path))
    response = post_form(client, path, PRIVATE_COUNTS, token_from="/establishments")
    assert response.status_code == 422
    assert "reopen it before recording new figures" in text_of(response)
    assert _count(factory, WorkforceFigure) == 0


def test_another_organisations_establishment_does_not_exist(client, factory, org):
    theirs = factory.org(regency="35.78")
    their_head = theirs.establishment_ids[0]
    assert client.get(f"/establishments/{their_head}/edit").status_code == 404
    assert client.get(f"/establishments/{their_head}/figures").status_code == 404
    response = post_form(
        client,
        f"/establishments/{their_head}/figures?month={_month(-1)}",
        PRIVATE_COUNTS,
        token_from="/establishments",
    )
    assert response.status_code == 404
    assert _count(factory, WorkforceFigure) == 0
