"""A period restated in whole people (issue 15, item 4): LAW.md row 7's worked example, months
that asked different numbers, and a shortfall that never reads "0 people"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from compliance.extensions import db
from compliance.models import Organization, Reach
from compliance.models.tenancy import reach_scope
from compliance.services.declarations.computation import compute
from compliance.services.declarations.people import in_people, parts_sum, people_of
from compliance.services.declarations.status import running_result, whole_people
from tests.support.clock import last_year
from tests.support.declarations import fill_year
from tests.support.roster import make_employee

UU8 = "id-uu8-2016"


def rows(*pairs: tuple[int | None, int]) -> list[tuple[int | None, Decimal]]:
    return [(required, Decimal(counted)) for required, counted in pairs]


def test_law_md_example_five_required_46_person_months_counted():
    """ "required 5 people; on average 3.83 people counted over 12 months, i.e. 46
    person-months": 1.17 short on average, which is 2 whole people (rounded up)."""
    people = people_of(rows(*[(5, 4)] * 10, (5, 3), (5, 3)), status="shortfall", pack_id=UU8)
    assert people is not None
    assert (people.required_low, people.required_high, people.is_uniform) == (5, 5, True)
    assert (people.required_total, people.counted_total) == (60, Decimal(46))
    assert people.counted_average == Decimal("3.83")
    assert (people.gap_average, people.gap, people.is_gap_rounded) == (Decimal("1.17"), 2, True)
    assert people.rounds_up
    assert people.rounding_source("en") == (
        "product default, not in the law (reading of UU 8/2016 Article 53)"
    )
    assert people.period_source("en") == "product default, not in the law"
    assert people.period_source("id") == "default produk, tidak diatur dalam undang-undang"


def test_months_that_asked_different_numbers_are_a_range_and_sums_decide():
    """4, 4, 4, 4, 5 required and 4, 4, 4, 5, 4 counted: 21 person-months each, so no one is
    short, although the averages 4.2 and 4.2 would round to 5 and 4."""
    people = people_of(
        rows((4, 4), (4, 4), (4, 4), (4, 5), (5, 4)), status="compliant", pack_id=UU8
    )
    assert people is not None
    assert (people.required_low, people.required_high, people.is_uniform) == (4, 5, False)
    assert (people.gap, people.gap_average) == (0, Decimal(0))


def test_a_shortfall_is_at_least_one_person_whatever_the_rounding():
    """PP 43/1998 rounds down; one person-month short over 12 months is still one person."""
    people = people_of(rows((1, 0), *[(1, 1)] * 11), status="shortfall", pack_id="id-pp43-1998")
    assert people is not None
    assert (people.gap_average, people.gap, people.rounds_up) == (Decimal("0.08"), 1, False)


def test_no_result_in_people_without_an_obligation_or_with_missing_data():
    assert people_of(rows((None, 0)), status="no_obligation", pack_id=UU8) is None
    assert people_of(rows((3, 1)), status="insufficient_data", pack_id=UU8) is None
    assert in_people(None) is None
    assert in_people({"status": "shortfall"}) is None  # no pack: nothing to read the rule from


def test_stored_results_read_the_same_as_live_ones():
    stored = {
        "pack_id": UU8,
        "status": "shortfall",
        "months": [{"required": 3, "counted": "1", "pack_id": UU8}] * 12,
    }
    people = in_people(stored)
    assert people is not None
    assert (people.required_high, people.counted_average, people.gap) == (3, Decimal(1), 2)
    regional = {
        "pack_id": "id-3402-bantul-perda-2-2024",
        "period_pack_id": UU8,
        "status": "shortfall",
        "months": [{"required": 3, "counted": "1"}] * 12,
    }
    people = in_people(regional)
    assert people is not None
    assert people.rounding_source("en").endswith("(reading of Perda Kab. Bantul 2/2024 Article 41)")


def test_the_parts_add_up_to_more_than_the_legal_entity():
    parts = parts_sum(
        5,
        Decimal("4.2"),
        [("A", Decimal("1.5"), 2), ("B", Decimal("0.5"), 1), ("C", Decimal("2.2"), 3)],
        UU8,
    )
    assert parts is not None
    assert (parts.parts_total, parts.differs) == (Decimal(6), True)
    assert parts.entity_source("en") == (
        "product default, not in the law (reading of UU 8/2016 Article 53)"
    )
    assert parts_sum(None, None, [("A", None, 1)], UU8) is None


def test_a_period_with_missing_months_is_judged_on_its_complete_months(app, factory):
    """The status of record of a period with months missing is the result over its complete
    months, taken from the computation of every month: the same as computing those alone."""
    org = factory.org(name="PT Bolong Tiga", regency="31.71", other_regencies=("35.78",))
    first, second = org.establishment_ids
    fill_year(
        factory,
        org.id,
        {first: 300, second: 120},
        skip={(first, 2), (second, 2), (second, 7), (first, 11)},
    )
    make_employee(factory, org.id, number="E-1", name="Sari Dewi", details=True)
    make_employee(factory, org.id, number="E-2", name="Budi Santoso", details=True)
    year, today = last_year(), date(last_year() + 1, 3, 1)
    months = [date(year, m, 1) for m in range(1, 13)]
    with app.app_context(), reach_scope(db.session, Reach.for_everything()):
        organization = db.session.get(Organization, org.id)
        result, complete = running_result(db.session, organization, year, today)
        db.session.expire_all()
        alone = compute(
            db.session,
            organization,
            [m for m in months if m.month not in (2, 7, 11)],
            label=str(year),
            today=today,
            breakdowns=False,
        ).entity
    assert complete == 9
    assert result == whole_people(alone, alone.status.value)
    assert result.required is not None


def test_a_period_without_a_complete_month_is_not_computed(app, factory, monkeypatch):
    """Insufficient data either way, so the status of record does not compute a period none
    of whose months is complete (every night, for every organisation without figures)."""
    from compliance.services.declarations import status

    org = factory.org(name="PT Belum Lapor", regency="31.71", other_regencies=("35.78",))
    first, _second = org.establishment_ids
    fill_year(factory, org.id, {first: 300})  # the branch never reported: no month complete
    make_employee(factory, org.id, number="E-1", name="Sari Dewi", details=True)
    year, today = last_year(), date(last_year() + 1, 3, 1)
    with app.app_context(), reach_scope(db.session, Reach.for_everything()):
        organization = db.session.get(Organization, org.id)
        months = [date(year, m, 1) for m in range(1, 13)]
        computed = compute(db.session, organization, months, label=str(year), today=today)
        db.session.expire_all()

        def refuse(*_args: object, **_kwargs: object) -> None:
            raise AssertionError("computed")

        monkeypatch.setattr(status, "compute", refuse)
        result = running_result(db.session, organization, year, today)
    # What computing it said: no month complete, so nothing to judge.
    assert all(computed.figures.missing(m) for m in months)
    assert result == (whole_people(None, "insufficient_data"), 0)
