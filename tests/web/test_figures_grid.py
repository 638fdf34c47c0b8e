"""The month grid and the year view: many rows of workforce figures saved in one post, all or
nothing, with every bad cell refused at the cell."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select

from compliance.models import AuditEvent, Establishment, User, WorkforceFigure
from compliance.services.dates import add_months, month_start, previous_month
from compliance.services.workforce import record_monthly_figures
from compliance.services.workforce_grid import SheetRefused, SheetRow, record_figure_sheet
from tests.support.clock import last_year, today
from tests.support.roster import make_employee
from tests.support.web import login, post_form, text_of

TYPES = ("permanent", "fixed_term", "daily", "part_time", "outsourced", "intern")
COUNTS = {
    "permanent": 120,
    "fixed_term": 30,
    "daily": 0,
    "part_time": 4,
    "outsourced": 12,
    "intern": 3,
}
GRID = "/establishments/figures"


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def org(client, factory):
    """An organisation with three establishments: the head office, Gudang Bantul, Cabang
    Surabaya (ids in that order), its HR manager logged in."""
    org = factory.org(name="PT Tiga Gudang", other_regencies=("34.02", "35.78"))
    with factory.session() as session:
        for establishment_id, name in zip(
            org.establishment_ids[1:], ("Gudang Bantul", "Cabang Surabaya"), strict=True
        ):
            session.get(Establishment, establishment_id).name = name
    login(client, org.hr_email)
    return org


def _month(offset: int = -1) -> date:
    return add_months(month_start(today()), offset)


def _grid(month: date) -> str:
    return f"{GRID}?month={month:%Y-%m}"


def _row(prefix: str, counts: dict[str, object] | None = None) -> dict[str, str]:
    return {f"{prefix}-{code}": str(value) for code, value in (counts or COUNTS).items()}


def _rows(org, **changes: object) -> dict[str, str]:
    """A full grid post for the three establishments; `changes` overrides cells of the first
    branch (Gudang Bantul) by type code."""
    head, bantul, surabaya = org.establishment_ids
    return {
        **_row(f"e{head}"),
        **_row(f"e{bantul}", {**COUNTS, **changes}),
        **_row(f"e{surabaya}", {**COUNTS, "permanent": 40}),
    }


def _figures(factory) -> dict[tuple[int, date, str], int]:
    with factory.session() as session:
        return {
            (f.establishment_id, f.month, f.employment_type.value): f.headcount
            for f in session.scalars(select(WorkforceFigure))
        }


def _events(factory) -> list[dict]:
    with factory.session() as session:
        return list(
            session.scalars(
                select(AuditEvent.data)
                .where(AuditEvent.action == "workforce.figures_recorded")
                .order_by(AuditEvent.id)
            )
        )


def _record(factory, org, establishment_id: int, month: date, counts=None) -> None:
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.email == org.hr_email))
        record_monthly_figures(session, hr, establishment_id, month, counts or COUNTS)


def _error_at(page: str, element_id: str) -> str:
    """The text of the error whose id is `<element_id>-error`."""
    found = re.search(
        rf'id="{element_id}-error"><span class="usa-sr-only">Error:</span>(.*?)</span>', page, re.S
    )
    assert found, f"no error shown at {element_id}"
    return " ".join(found.group(1).split())


def _cell_error(page: str, cell_id: str) -> str:
    """The error shown at a cell, after checking the cell's input points at it and the error
    summary links to the cell."""
    described = re.search(rf'<input[^>]*aria-describedby="([^"]*)"[^>]*id="{cell_id}"', page)
    assert described, f"no input {cell_id} with aria-describedby"
    assert f"{cell_id}-error" in described.group(1).split(), "the input is not tied to its error"
    assert f'href="#{cell_id}"' in page, "the error summary does not link to the cell"
    return _error_at(page, cell_id)


# --- saving -----------------------------------------------------------------------------------


@pytest.mark.calendar  # months judged against today
def test_a_grid_saves_three_establishments_in_one_post(client, factory, org):
    head, bantul, surabaya = org.establishment_ids
    month = _month(-1)
    page = text_of(client.get(GRID))  # last month by default
    assert f'<option selected value="{month:%Y-%m}">' in page
    for prefix in (f"e{head}", f"e{bantul}", f"e{surabaya}"):
        assert f'id="{prefix}-permanent"' in page
    assert (
        f'<label class="usa-sr-only" for="e{bantul}-permanent">'
        "Permanent workers (PKWTT), Gudang Bantul</label>"
    ) in page
    assert 'inputmode="numeric"' in page
    assert 'class="usa-table-container--scrollable" role="region" tabindex="0"' in page

    response = post_form(client, _grid(month), _rows(org))
    assert response.status_code == 302
    figures = _figures(factory)
    assert len(figures) == 18
    assert figures[(surabaya, month, "permanent")] == 40
    assert [e["month"] for e in _events(factory)] == [f"{month:%Y-%m}"] * 3  # one per row
    page = text_of(client.get(response.headers["Location"]))
    assert "3 establishments changed" in page
    assert re.search(rf'id="e{surabaya}-permanent"[^>]*value="40"', page)  # pre-filled

    # Saving again with one row changed writes one event, for that row only.
    response = post_form(client, _grid(month), _rows(org, daily=2))
    assert response.status_code == 302
    events = _events(factory)
    assert len(events) == 4
    assert events[-1]["changes"] == {"daily": [0, 2]}
    assert "1 establishment changed" in text_of(client.get(response.headers["Location"]))


def test_a_row_left_empty_is_skipped(client, factory, org):
    bantul = org.establishment_ids[1]
    month = _month(-1)
    response = post_form(client, _grid(month), _row(f"e{bantul}"))
    assert response.status_code == 302
    assert {key[0] for key in _figures(factory)} == {bantul}
    assert len(_events(factory)) == 1
    # Once recorded, a row must stay complete: emptying a cell is an error, not a deletion.
    data = {**_row(f"e{bantul}"), f"e{bantul}-daily": ""}
    response = post_form(client, _grid(month), data)
    assert response.status_code == 422
    assert "Enter the number of people" in _cell_error(text_of(response), f"e{bantul}-daily")


@pytest.mark.calendar
def test_the_month_picker_offers_ended_months_only(client, org):
    page = text_of(client.get(GRID))
    assert f'value="{_month(0):%Y-%m}"' not in page  # the running month is not offered
    assert f"?month={_month(-2):%Y-%m}" in page  # previous month link
    assert "Next month" not in page  # last month is the latest that can be entered
    page = text_of(client.get(_grid(_month(-3))))
    assert f"?month={_month(-2):%Y-%m}" in page
    assert "Next month" in page


def test_closed_establishments_are_read_only_or_not_listed(client, factory, org):
    surabaya = org.establishment_ids[2]
    month = _month(-1)
    _record(factory, org, surabaya, month)
    response = post_form(
        client, f"/establishments/{surabaya}/close", {"confirmed": "yes"}, token_from=GRID
    )
    assert response.status_code == 302
    page = text_of(client.get(_grid(month)))  # closed this month: last month is shown
    assert f'id="e{surabaya}-permanent"' not in page  # read-only, no input
    assert "Cabang Surabaya" in page
    assert "Closed on" in page
    response = post_form(client, _grid(month), _rows(org))  # its cells are not on the page
    assert response.status_code == 422
    with factory.session() as session:  # closed before a month began: not listed in it
        session.get(Establishment, surabaya).closed_at = datetime.combine(
            add_months(month, -3), time()
        )
    page = text_of(client.get(_grid(add_months(month, -1))))
    assert "Cabang Surabaya" not in page
    assert "Gudang Bantul" in page


# --- copy forward -------------------------------------------------------------------------------


@pytest.mark.calendar
def test_copy_forward_fills_empty_rows_and_saves_nothing(client, factory, org):
    head, bantul, surabaya = org.establishment_ids
    month, before = _month(-1), _month(-2)
    _record(factory, org, head, before, {**COUNTS, "permanent": 111})
    _record(factory, org, bantul, before, {**COUNTS, "permanent": 222})
    _record(factory, org, bantul, month, {**COUNTS, "permanent": 250})  # this month: kept
    stored = _figures(factory)
    as_shown = {  # what the browser sends: every cell, Bantul's filled in
        **_row(f"e{head}", dict.fromkeys(TYPES, "")),
        **_row(f"e{bantul}", {**COUNTS, "permanent": 250}),
        **_row(f"e{surabaya}", dict.fromkeys(TYPES, "")),
    }
    response = post_form(client, _grid(month), {"action": "copy", **as_shown})
    assert response.status_code == 200
    page = text_of(response)
    assert "copied into 1 empty row" in page
    assert re.search(rf'id="e{head}-permanent"[^>]*value="111"', page)
    assert re.search(rf'id="e{bantul}-permanent"[^>]*value="250"', page)
    assert not re.search(rf'id="e{surabaya}-permanent"[^>]*value="\d', page)  # nothing to copy
    assert _figures(factory) == stored  # the copy saved nothing
    assert len(_events(factory)) == 3

    # What the user typed stays; the reviewed form is then saved like any other.
    typed = _row(f"e{surabaya}", {**COUNTS, "permanent": 7})
    page = text_of(post_form(client, _grid(month), {"action": "copy", **as_shown, **typed}))
    assert re.search(rf'id="e{surabaya}-permanent"[^>]*value="7"', page)
    rows = {**as_shown, **_row(f"e{head}", {**COUNTS, "permanent": 111}), **typed}
    assert post_form(client, _grid(month), rows).status_code == 302
    assert _figures(factory)[(head, month, "permanent")] == 111


# --- the year view ------------------------------------------------------------------------------


@pytest.mark.calendar
def test_the_year_view_saves_several_months_of_one_establishment(client, factory, org):
    _head, bantul, _surabaya = org.establishment_ids
    year = last_year()
    path = f"/establishments/{bantul}/figures/{year}"
    page = text_of(client.get(path))
    assert page.count('<th scope="row">') == 12
    assert f'<label class="usa-sr-only" for="m{year}-03-permanent">' in page
    assert "Permanent workers (PKWTT), March " in page
    data = {**_row(f"m{year}-01"), **_row(f"m{year}-02", {**COUNTS, "intern": 5})}
    response = post_form(client, path, data)
    assert response.status_code == 302
    assert "2 months changed" in text_of(client.get(response.headers["Location"]))
    assert _figures(factory)[(bantul, date(year, 2, 1), "intern")] == 5
    assert [e["month"] for e in _events(factory)] == [f"{year}-01", f"{year}-02"]
    # A bad cell in one month keeps the other month from being saved too.
    data = {**_row(f"m{year}-03"), **_row(f"m{year}-04", {**COUNTS, "daily": "-1"})}
    response = post_form(client, path, data)
    assert response.status_code == 422
    assert "cannot be negative" in _cell_error(text_of(response), f"m{year}-04-daily")
    assert len(_figures(factory)) == 12


@pytest.mark.calendar
def test_the_year_view_of_this_year_takes_only_ended_months(client, factory, org):
    head = org.establishment_ids[0]
    running = month_start(today())
    page = text_of(client.get(f"/establishments/{head}/figures/{running.year}"))
    assert f'id="m{running:%Y-%m}-permanent"' not in page
    assert "Not ended yet" in page
    response = post_form(
        client,
        f"/establishments/{head}/figures/{running.year}",
        _row(f"m{running:%Y-%m}"),
        token_from="/establishments",
    )
    assert response.status_code == 422
    assert _figures(factory) == {}
    assert client.get(f"/establishments/{head}/figures/{running.year + 1}").status_code == 404
    default = client.get(f"/establishments/{head}/figures/year")
    assert f"Figures for {previous_month(today()).year}" in text_of(default)


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-3", "The number of people cannot be negative."),
        ("1.5", "Enter a whole number of people, without dots or commas."),
        ("dua belas", "Enter a whole number of people, without dots or commas."),
        ("99999999999999999999", "Enter at most 10,000,000 people: check the number."),
    ],
)
def test_a_bad_cell_is_refused_at_the_cell_and_nothing_is_saved(
    client, factory, org, value, message
):
    bantul = org.establishment_ids[1]
    response = post_form(client, _grid(_month(-1)), _rows(org, part_time=value))
    assert response.status_code == 422
    page = text_of(response)
    assert _cell_error(page, f"e{bantul}-part_time") == message
    assert "error-summary" in page
    assert f'value="{value}"' in page  # what was typed is shown back
    assert _figures(factory) == {}  # the two valid rows are not saved either
    assert _events(factory) == []


def test_the_single_form_refuses_a_huge_number_too(client, factory, org):
    path = f"/establishments/{org.establishment_ids[0]}/figures?month={_month(-1):%Y-%m}"
    data = {code: str(value) for code, value in COUNTS.items()} | {"daily": "9" * 20}
    response = post_form(client, path, data)
    assert response.status_code == 422  # not a 500 from the database
    assert "Enter at most 10,000,000 people" in text_of(response)
    assert _figures(factory) == {}


def test_bad_cells_are_shown_in_indonesian(client, factory, org):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "id"
    bantul = org.establishment_ids[1]
    response = post_form(client, _grid(_month(-1)), _rows(org, daily="-1"))
    assert response.status_code == 422
    page = text_of(response)
    assert f'id="e{bantul}-daily-error"' in page
    assert "The number of people cannot be negative." not in page
    assert _figures(factory) == {}


@pytest.mark.calendar
def test_a_month_that_has_not_ended_is_refused(client, factory, org):
    running = _grid(_month(0))
    response = client.get(running)
    assert response.status_code == 422
    assert "has not ended yet" in text_of(response)
    response = post_form(client, running, _rows(org), token_from=GRID)
    assert response.status_code == 422
    assert "has not ended yet" in text_of(response)
    response = post_form(client, _grid(_month(1)), _rows(org), token_from=GRID)
    assert response.status_code == 422
    assert _figures(factory) == {}


def test_figures_below_the_roster_are_refused_at_the_row(client, factory, org):
    head = org.establishment_ids[0]  # where `make_employee` puts people
    for number in ("E-1", "E-2", "E-3"):
        make_employee(factory, org.id, number=number)
    small = dict.fromkeys(TYPES, 0) | {"permanent": 2}
    data = {**_rows(org), **_row(f"e{head}", small)}
    response = post_form(client, _grid(_month(-1)), data)
    assert response.status_code == 422
    page = text_of(response)
    error = _error_at(page, f"e{head}-row")
    assert "roster" in error
    assert "Kantor pusat" in error
    assert re.search(
        rf'aria-describedby="[^"]*e{head}-row-error[^"]*"[^>]*id="e{head}-permanent"', page
    )
    assert f'href="#e{head}-permanent"' in page  # the summary leads to the row's first cell
    assert _figures(factory) == {}
    # The single form applies the same rule.
    single = f"/establishments/{head}/figures?month={_month(-1):%Y-%m}"
    assert post_form(client, single, {k: str(v) for k, v in small.items()}).status_code == 422


# --- hostile posts -------------------------------------------------------------------------------


def test_another_tenants_establishment_cannot_be_written(client, factory, org):
    theirs = factory.org(regency="35.78")
    their_head = theirs.establishment_ids[0]
    data = {**_rows(org), **_row(f"e{their_head}")}
    response = post_form(client, _grid(_month(-1)), data)
    assert response.status_code == 422
    assert "Nothing is saved: reload the page" in text_of(response)
    assert _figures(factory) == {}
    assert client.get(f"/establishments/{their_head}/figures/{last_year()}").status_code == 404
    response = post_form(
        client,
        f"/establishments/{their_head}/figures/{last_year()}",
        _row(f"m{last_year()}-01"),
        token_from=GRID,
    )
    assert response.status_code == 404
    assert _figures(factory) == {}


def test_unknown_ids_and_a_flood_of_fields_are_refused(client, factory, org):
    flood = {f"e{n}-permanent": "1" for n in range(900_000, 903_000)}
    for extra in ({"e999999-permanent": "5"}, flood, {"junk": "x"}):
        response = post_form(client, _grid(_month(-1)), {**_rows(org), **extra})
        assert response.status_code == 422
        assert "Nothing is saved: reload the page" in text_of(response)
    assert _figures(factory) == {}


def test_the_service_refuses_rows_of_another_organisation(factory, org):
    theirs = factory.org(regency="35.78")
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.email == org.hr_email))
        rows = [
            SheetRow(org.establishment_ids[0], _month(-1), COUNTS),
            SheetRow(theirs.establishment_ids[0], _month(-1), COUNTS),
            SheetRow(org.establishment_ids[1], _month(0), COUNTS),
            SheetRow(org.establishment_ids[2], _month(-1), {**COUNTS, "daily": 10**12}),
        ]
        with pytest.raises(SheetRefused) as refused:
            record_figure_sheet(session, hr, rows)
        problems = refused.value.problems
        assert [(p.establishment_id, p.field) for p in problems] == [
            (theirs.establishment_ids[0], None),
            (org.establishment_ids[1], "month"),
            (org.establishment_ids[2], "daily"),
        ]
        assert session.scalar(select(func.count()).select_from(WorkforceFigure)) == 0
