"""The Easy-Read content is generated from the packs and agrees with the engine."""

from __future__ import annotations

from datetime import date

import pytest

from compliance.quota import InputError, easy_read, evaluate
from tests.quota.builders import TODAY, snapshot


def test_sections_and_languages() -> None:
    content = easy_read(TODAY)
    codes = [section.code for section in content.sections]
    assert codes == [
        "who",
        "workers",
        "disabled",
        "number",
        "period",
        "regional",
        "history",
        "sources",
    ]
    for section in content.sections:
        assert section.heading_id
        assert section.heading_en
        for item in section.items:
            assert item.text_id
            assert item.text_en
            assert item.text_id != item.text_en
    assert content.to_dict()["sections"][0]["items"][0]["source_en"]


def test_worked_examples_agree_with_the_engine() -> None:
    content = easy_read(TODAY)
    number = next(s for s in content.sections if s.code == "number")
    example = next(item for item in number.items if item.text_en.startswith("Example"))
    required = evaluate(snapshot("private", permanent=250), today=TODAY).required
    assert f"= {required} persons" in example.text_en
    history = next(s for s in content.sections if s.code == "history")
    then_now = evaluate(snapshot("private", permanent=99), today=TODAY)
    assert (
        f"then {then_now.comparisons[0].required}, now {then_now.required}"
        in history.items[-1].text_en
    )


def test_product_defaults_are_marked() -> None:
    content = easy_read(TODAY)
    marked = [item for s in content.sections for item in s.items if item.is_product_default]
    assert any("Round the result up" in item.text_en for item in marked)
    assert all("product default" in item.source("en") for item in marked)


def test_content_follows_the_pack_in_force() -> None:
    old = easy_read(date(2010, 1, 1))
    assert old.pack_id == "id-pp43-1998"
    assert "regional" not in [s.code for s in old.sections]
    with pytest.raises(InputError):
        easy_read(date(1990, 1, 1))


def test_region_filter_shows_only_overlays_that_apply_there() -> None:
    bantul = easy_read(TODAY, region="34.02.05")
    assert "regional" in [s.code for s in bantul.sections]
    elsewhere = easy_read(TODAY, region="31.71")
    assert "regional" not in [s.code for s in elsewhere.sections]


def test_acronyms_keep_their_case() -> None:
    who = easy_read(TODAY).sections[0]
    assert any(item.text_id.startswith("BUMN:") for item in who.items)
