"""JSON input: the documented schema parses; bad input names the field."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from compliance.quota import (
    DisabilityCategory,
    DisabledEmployee,
    EmploymentType,
    EvidenceType,
    InputError,
    Period,
    Snapshot,
    parse_document,
)

SNAPSHOT: dict[str, Any] = {
    "as_of": "2025-06-30",
    "sector": "private",
    "region": "34.02",
    "legal_form": None,
    "headcount": {"permanent": 200, "fixed_term": 50, "outsourced": 30},
    "toggles": {"count_outsourced": False},
    "attributes": ["high_tech"],
    "disabled_employees": [
        {
            "categories": ["physical", "sensory"],
            "evidence": "kpd",
            "employment_type": "permanent",
            "is_verified": True,
            "weekly_hours": 37.5,
            "ref": "E-17",
        },
    ],
}


def parse(value: Any) -> Snapshot | Period:
    return parse_document(json.dumps(value))


def test_snapshot_document() -> None:
    snapshot = parse(SNAPSHOT)
    assert isinstance(snapshot, Snapshot)
    assert snapshot.as_of == date(2025, 6, 30)
    assert snapshot.region == "34.02"
    assert snapshot.attributes == frozenset({"high_tech"})
    (person,) = snapshot.disabled_employees
    assert str(person.weekly_hours) == "37.5"
    assert person.ref == "E-17"


def test_period_document_inherits_shared_fields() -> None:
    period = parse(
        {
            "label": "2025",
            "sector": "regional_soe",
            "region": "34.02",
            "snapshots": [
                {"as_of": "2025-01-31", "headcount": {"permanent": 100}},
                {"as_of": "2025-02-28", "headcount": {"permanent": 110}, "region": "34.01"},
            ],
        }
    )
    assert isinstance(period, Period)
    assert period.label == "2025"
    assert [s.sector.value for s in period.snapshots] == ["regional_soe", "regional_soe"]
    assert [s.region for s in period.snapshots] == ["34.02", "34.01"]


def with_(path: str, value: Any) -> dict[str, Any]:
    document = json.loads(json.dumps(SNAPSHOT))
    *parents, last = path.split(".")
    target = document
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return document


@pytest.mark.parametrize(
    ("document", "field", "message"),
    [
        (with_("headcount.permanent", -1), "headcount.permanent", "must not be negative"),
        (
            with_("headcount.permanent", 2.5),
            "headcount.permanent",
            "must be a whole number, got 2.5",
        ),
        (with_("headcount.permanent", "200"), "headcount.permanent", "must be a whole number"),
        (with_("headcount.permanent", True), "headcount.permanent", "must be a whole number"),
        (with_("headcount.robots", 3), "headcount.robots", "unknown value 'robots'"),
        (with_("sector", "ngo"), "sector", "unknown value 'ngo'"),
        (with_("as_of", "30/06/2025"), "as_of", "must be a date YYYY-MM-DD"),
        (with_("region", "Bantul"), "region", "Kemendagri code"),
        (with_("legal_form", "bank"), "legal_form", "unknown value 'bank'"),
        (with_("toggles.count_outsourced", "yes"), "toggles.count_outsourced", "true or false"),
        (
            with_("disabled_employees.0.categories", ["blue"]),
            "disabled_employees[0].categories[0]",
            "unknown value 'blue'",
        ),
        (
            with_("disabled_employees.0.categories", []),
            "disabled_employees[0].categories",
            "at least one",
        ),
        (
            with_("disabled_employees.0.evidence", "rumour"),
            "disabled_employees[0].evidence",
            "unknown value",
        ),
        (
            with_("disabled_employees.0.weekly_hours", -4),
            "disabled_employees[0].weekly_hours",
            "non-negative",
        ),
        (
            with_("disabled_employees.0.colour", "red"),
            "disabled_employees[0].colour",
            "unknown field",
        ),
        (with_("nickname", "x"), "nickname", "unknown field"),
        (with_("headcount", {"permanent": 0}), "disabled_employees", "only 0 workers"),
        ({"sector": "private", "headcount": {}}, "as_of", "is required"),
        ([1, 2], "json", "must be a JSON object"),
    ],
)
def test_bad_input_names_the_field(document: Any, field: str, message: str) -> None:
    with pytest.raises(InputError) as raised:
        parse(document)
    assert raised.value.field == field
    assert message in raised.value.message


def test_bad_input_inside_a_period_is_located() -> None:
    document = {
        "sector": "private",
        "snapshots": [
            {"as_of": "2025-01-31", "headcount": {"permanent": 1}},
            {"as_of": "2025-02-28", "headcount": {"permanent": -5}},
        ],
    }
    with pytest.raises(InputError) as raised:
        parse(document)
    assert raised.value.field == "snapshots[1].headcount.permanent"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"as_of": ', "malformed JSON at line 1"),
        ('{"as_of": NaN}', "NaN is not a number"),
        ("", "malformed JSON"),
    ],
)
def test_malformed_json(text: str, message: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_document(text)
    assert raised.value.field == "json"
    assert message in raised.value.message


@pytest.mark.parametrize(
    ("person", "field"),
    [
        ({"is_verified": 1}, "is_verified"),  # equal to True, which was seen and kept
        ({"weekly_hours": True}, "weekly_hours"),
        ({"categories": [["physical"]]}, "categories"),  # unhashable: checked the long way
        ({"categories": ["physical", "telepathic"]}, "categories"),
        ({"evidence": ["kpd"]}, "evidence"),
        ({"employment_type": "volunteer"}, "employment_type"),
    ],
)
def test_a_person_checked_once_never_lets_a_bad_value_through(
    person: dict[str, Any], field: str
) -> None:
    """People with the same facts are checked once per process (a roster repeats a handful):
    the same facts given another way still get every check."""
    good = {"categories": ["physical"], "evidence": "kpd", "employment_type": "permanent"}
    seen = DisabledEmployee(**good, is_verified=True)
    assert DisabledEmployee(**good, is_verified=True, ref="2").kind is seen.kind
    with pytest.raises(InputError) as raised:
        DisabledEmployee(**{**good, "is_verified": True, **person})
    assert raised.value.field == field


def test_codes_and_members_make_the_same_person() -> None:
    from_codes = DisabledEmployee(
        categories=["sensory", "physical"], evidence="kpd", employment_type="permanent"
    )
    from_members = DisabledEmployee(
        categories=frozenset({DisabilityCategory.PHYSICAL, DisabilityCategory.SENSORY}),
        evidence=EvidenceType.KPD,
        employment_type=EmploymentType.PERMANENT,
    )
    assert from_codes == from_members
    assert from_codes.kind is from_members.kind
    assert all(isinstance(c, DisabilityCategory) for c in from_codes.categories)
    assert isinstance(from_codes.evidence, EvidenceType)
