"""LAW.md's worked examples, end to end through `evaluate`."""

from __future__ import annotations

from decimal import Decimal

from compliance.quota import ResultRole, Status, evaluate
from tests.quota.builders import TODAY, person, snapshot


def test_private_250_requires_3() -> None:
    result = evaluate(snapshot("private", permanent=250), today=TODAY)
    assert result.pack_id == "id-uu8-2016"
    assert result.role is ResultRole.PRIMARY
    assert result.denominator == 250
    assert result.rate == Decimal("0.01")
    assert result.exact_required == Decimal("2.5")
    assert result.required == 3
    assert result.status is Status.SHORTFALL


def test_private_99_requires_1_and_pp43_reading_gives_0() -> None:
    result = evaluate(snapshot("private", permanent=99), today=TODAY)
    assert result.required == 1
    (history,) = result.comparisons
    assert history.pack_id == "id-pp43-1998"
    assert history.role is ResultRole.COMPARISON
    assert history.required == 0
    assert history.lines[0].code == "pack_history"


def test_bumd_150_requires_3() -> None:
    result = evaluate(snapshot("regional_soe", permanent=150), today=TODAY)
    assert result.rate == Decimal("0.02")
    assert result.exact_required == 3
    assert result.required == 3


def test_private_1000_with_7_counted_has_gap_3() -> None:
    disabled = tuple(person("physical") for _ in range(7))
    result = evaluate(snapshot("private", permanent=1000, disabled=disabled), today=TODAY)
    assert result.required == 10
    assert result.counted == 7
    assert result.gap == 3
    assert result.status is Status.SHORTFALL


def test_bantul_80_workers_owe_national_1_and_regional_duty_does_not_apply() -> None:
    result = evaluate(snapshot("private", permanent=80, region="34.02"), today=TODAY)
    assert result.required == 1
    assert result.status is Status.SHORTFALL
    (overlay,) = result.overlays
    assert overlay.pack_id == "id-3402-bantul-perda-2-2024"
    assert overlay.role is ResultRole.OVERLAY
    assert overlay.status is Status.NO_OBLIGATION
    assert overlay.required is None
    assert not overlay.applies
    assert "threshold_not_met" in [line.code for line in overlay.lines]
    assert "does not apply" in overlay.lines[-2].text_en


def test_compliant_when_counted_reaches_required() -> None:
    disabled = (person("physical"), person("sensory"), person("mental"))
    result = evaluate(snapshot("private", permanent=250, disabled=disabled), today=TODAY)
    assert result.status is Status.COMPLIANT
    assert result.gap == 0
