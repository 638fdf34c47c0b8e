"""One test (or a few) per rule of the UU 8/2016 pack and of the engine's counting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from compliance.quota import (
    PRODUCT_DEFAULT_EN,
    EmploymentType,
    InputError,
    LegalForm,
    Snapshot,
    Status,
    evaluate,
)
from tests.quota.builders import TODAY, person, snapshot


def codes(lines: tuple[object, ...]) -> list[str]:
    return [line.code for line in lines]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("sector", "rate"),
    [
        ("central_government", "0.02"),
        ("regional_government", "0.02"),
        ("soe", "0.02"),
        ("regional_soe", "0.02"),
        ("private", "0.01"),
    ],
)
def test_rate_by_sector(sector: str, rate: str) -> None:
    result = evaluate(snapshot(sector, permanent=100, pns=100), today=TODAY)
    assert result.rate == Decimal(rate)
    line = next(line for line in result.lines if line.code == "sector_rate")
    assert line.citation is not None
    assert line.citation.article == "53"
    assert line.citation.paragraph == ("2" if sector == "private" else "1")
    assert not line.is_product_default


@pytest.mark.parametrize("form", list(LegalForm))
def test_ambiguous_legal_forms_rate_as_private_with_a_verify_flag(form: LegalForm) -> None:
    result = evaluate(snapshot("soe", permanent=300, legal_form=form), today=TODAY)
    assert result.rate == Decimal("0.01")
    assert result.required == 3
    warning = next(w for w in result.warnings if w.code == "sector_needs_verification")
    assert warning.is_product_default


def test_no_size_threshold_even_for_one_worker() -> None:
    result = evaluate(snapshot("private", permanent=1), today=TODAY)
    assert result.required == 1
    assert "threshold_none" in codes(result.lines)
    assert result.status is Status.SHORTFALL


def test_required_is_ceil_and_marked_product_default() -> None:
    result = evaluate(snapshot("private", permanent=101), today=TODAY)
    assert result.required == 2
    line = next(line for line in result.lines if line.code == "required_rounded")
    assert line.is_product_default
    assert PRODUCT_DEFAULT_EN in line.source("en")
    assert line.params == {"exact": "1.01", "rounding": "ceil", "required": "2"}


def test_zero_workers_require_nobody() -> None:
    result = evaluate(snapshot("private"), today=TODAY)
    assert result.denominator == 0
    assert result.required == 0
    assert result.status is Status.COMPLIANT


def test_denominator_counts_pkwtt_pkwt_daily_part_time_not_outsourced_or_interns() -> None:
    result = evaluate(
        snapshot(
            "private",
            permanent=100,
            fixed_term=50,
            daily=30,
            part_time=20,
            outsourced=400,
            intern=100,
        ),
        today=TODAY,
    )
    assert result.denominator == 200
    excluded = [line for line in result.lines if line.code == "denominator_excluded"]
    assert [line.params["employment_type"] for line in excluded] == ["outsourced", "intern"]
    assert all(line.is_product_default for line in excluded)


def test_toggles_include_outsourced_and_interns() -> None:
    result = evaluate(
        snapshot(
            "private",
            permanent=100,
            outsourced=50,
            intern=10,
            toggles={"count_outsourced": True, "count_interns": True},
        ),
        today=TODAY,
    )
    assert result.denominator == 160
    assert codes(result.lines).count("denominator_toggled") == 2


def test_public_body_counts_asn_and_honorer_only_by_toggle() -> None:
    base = snapshot("regional_government", pns=900, pppk=100, honorer=500)
    assert evaluate(base, today=TODAY).denominator == 1000
    with_honorer = snapshot(
        "regional_government", pns=900, pppk=100, honorer=500, toggles={"count_honorer": True}
    )
    result = evaluate(with_honorer, today=TODAY)
    assert result.denominator == 1500
    assert result.required == 30


def test_unknown_toggle_is_an_input_error() -> None:
    with pytest.raises(InputError) as raised:
        evaluate(snapshot("private", permanent=10, toggles={"count_robots": True}), today=TODAY)
    assert raised.value.field == "toggles.count_robots"


def test_unknown_head_count_of_a_counted_type_is_insufficient_data() -> None:
    result = evaluate(snapshot("private", permanent=100, fixed_term=None), today=TODAY)
    assert result.status is Status.INSUFFICIENT_DATA
    assert result.denominator is None
    assert result.required is None
    assert "headcount_unknown" in codes(result.lines)


def test_unknown_head_count_of_an_excluded_type_does_not_matter() -> None:
    result = evaluate(snapshot("private", permanent=100, outsourced=None), today=TODAY)
    assert result.status is Status.SHORTFALL


def test_a_person_counts_once_whatever_the_number_of_categories() -> None:
    everyone = person("physical", "intellectual", "mental", "sensory", "multiple")
    result = evaluate(snapshot("private", permanent=100, disabled=(everyone,)), today=TODAY)
    assert result.counted == 1
    assert "numerator_once" in codes(result.lines)


def test_self_declared_counts_but_is_flagged_unverified() -> None:
    disabled = (person(evidence="self_declaration", is_verified=False), person())
    result = evaluate(snapshot("private", permanent=100, disabled=disabled), today=TODAY)
    assert result.counted == 2
    assert result.unverified == 1
    assert "unverified_evidence" in codes(result.warnings)


def test_unverified_kpd_is_flagged_too() -> None:
    result = evaluate(
        snapshot("private", permanent=100, disabled=(person(is_verified=False),)), today=TODAY
    )
    assert result.unverified == 1


def test_disabled_worker_of_an_excluded_type_is_not_counted() -> None:
    disabled = (person(employment_type="outsourced"), person())
    result = evaluate(
        snapshot("private", permanent=100, outsourced=5, disabled=disabled), today=TODAY
    )
    assert result.counted == 1
    assert "numerator_excluded_type" in codes(result.lines)


def test_every_line_has_a_citation_or_the_product_default_mark() -> None:
    result = evaluate(
        snapshot(
            "soe",
            permanent=300,
            outsourced=3,
            legal_form=LegalForm.SOE_SUBSIDIARY,
            region="34.02",
            disabled=(person(evidence="self_declaration"),),
        ),
        today=TODAY,
    )
    everything = [*result.lines, *result.warnings]
    for other in (*result.comparisons, *result.overlays):
        everything += [*other.lines, *other.warnings]
    for line in everything:
        assert line.citation is not None or line.is_product_default, line.code
        assert line.text_id
        assert line.text_en
        assert line.text_id != line.text_en or line.code == "required_exact"


def test_texts_carry_the_numbers_in_each_language_format() -> None:
    result = evaluate(snapshot("private", permanent=1250), today=TODAY)
    line = next(line for line in result.lines if line.code == "required_exact")
    assert line.text_id == "1% × 1.250 = 12,5."
    assert line.text_en == "1% × 1,250 = 12.5."


def test_stale_pack_is_reported_with_a_configurable_age() -> None:
    fresh = evaluate(snapshot("private", permanent=10), today=TODAY)
    assert not fresh.is_stale
    later = TODAY.replace(year=TODAY.year + 2)
    stale = evaluate(snapshot("private", permanent=10), today=later)
    assert stale.is_stale
    assert "stale_pack" in codes(stale.warnings)
    lenient = evaluate(snapshot("private", permanent=10), today=later, max_pack_age_days=5000)
    assert not lenient.is_stale


def test_high_tech_minimum_of_the_repealed_rule_shows_in_the_comparison() -> None:
    result = evaluate(
        snapshot("private", permanent=40, attributes=frozenset({"high_tech"})), today=TODAY
    )
    (history,) = result.comparisons
    assert history.required == 1
    assert "minimum_applied" in codes(history.lines)
    plain = evaluate(snapshot("private", permanent=40), today=TODAY)
    assert plain.comparisons[0].required == 0


def test_repealed_rule_did_not_cover_government() -> None:
    result = evaluate(snapshot("central_government", pns=500), today=TODAY)
    (history,) = result.comparisons
    assert history.status is Status.NO_OBLIGATION
    assert "sector_not_covered" in codes(history.lines)


def test_snapshot_before_the_first_pack_names_as_of() -> None:
    from datetime import date

    with pytest.raises(InputError) as raised:
        evaluate(snapshot("private", as_of=date(1990, 1, 1), permanent=10), today=TODAY)
    assert raised.value.field == "as_of"


def test_explicit_pack_id_evaluates_history_on_todays_snapshot() -> None:
    result = evaluate(snapshot("private", permanent=250), today=TODAY, pack_id="id-pp43-1998")
    assert result.required == 2
    with pytest.raises(InputError):
        evaluate(snapshot(permanent=1), today=TODAY, pack_id="id-3402-bantul-perda-2-2024")


def test_to_dict_has_no_floats() -> None:
    result = evaluate(snapshot("private", permanent=250, region="34.02"), today=TODAY)

    def walk(value: object) -> None:
        assert not isinstance(value, float)
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(result.to_dict())
    assert result.to_dict()["exact_required"] == "2.5"


def test_snapshot_is_plain_data() -> None:
    first = snapshot("private", permanent=10)
    assert isinstance(first, Snapshot)
    assert first.headcount_of(EmploymentType.DAILY) == 0
