"""The product's select widget writes its options itself (a regency list has 514): the same
HTML as WTForms' own, every value and label escaped, the chosen ones marked."""

from __future__ import annotations

import pytest
from wtforms import Form, SelectChoice
from wtforms import SelectField as PlainSelectField
from wtforms import SelectMultipleField as PlainSelectMultipleField

from compliance.blueprints.forms import SelectField, SelectMultipleField, regency_choices
from compliance.extensions import db

HOSTILE = [
    SelectChoice("", "Choose…"),
    SelectChoice('"><script>alert(1)</script>', "<b>Kota & Kabupaten</b>", optgroup="A & B"),
    SelectChoice("32.73", "Kota Bandung", optgroup="Jawa Barat"),
    SelectChoice("x", "With its own attributes", render_kw={"disabled": True}),
]


class Ours(Form):
    one = SelectField(choices=HOSTILE)
    many = SelectMultipleField(choices=HOSTILE)


class Theirs(Form):
    one = PlainSelectField(choices=HOSTILE)
    many = PlainSelectMultipleField(choices=HOSTILE)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"one": "32.73", "many": ["32.73", '"><script>alert(1)</script>']},
        {"one": '"><script>alert(1)</script>', "many": ["x"]},
    ],
)
def test_options_are_written_as_wtforms_writes_them(data: dict[str, object]) -> None:
    ours, theirs = Ours(data=data), Theirs(data=data)
    assert str(ours.one()) == str(theirs.one())
    assert str(ours.many()) == str(theirs.many())
    assert "<script>" not in str(ours.one())
    assert "&lt;script&gt;" in str(ours.one())


def test_the_regency_list_is_every_regency_grouped_by_province(app) -> None:
    with app.test_request_context():
        choices = regency_choices()
        form = Ours()
        form.one.choices = choices
        form.one.data = "32.73"
        html = str(form.one())
        count = db.session.execute(db.text("SELECT count(*) FROM regencies")).scalar_one()
    assert len(choices) == count > 500
    assert html.count("<option") == count
    assert '<option selected value="32.73">Kota Bandung</option>' in html
    bandung = next(c for c in choices if c.value == "32.73")
    assert bandung.optgroup == "Jawa Barat"
    in_jabar = [c.label for c in choices if c.optgroup == "Jawa Barat"]
    assert in_jabar == sorted(in_jabar)
