"""Regional overlays add duties beside the national result and never lower it."""

from __future__ import annotations

from datetime import date

from compliance.quota import Status, evaluate
from tests.quota.builders import TODAY, person, snapshot


def test_bantul_duty_applies_from_100_workers() -> None:
    result = evaluate(snapshot("private", permanent=150, region="34.02"), today=TODAY)
    (overlay,) = result.overlays
    assert overlay.applies
    assert overlay.required == 2
    assert overlay.status is Status.SHORTFALL
    assert [d.params["duty"] for d in overlay.duties] == ["employ", "report_placements"]
    assert [s.params["sanction"] for s in overlay.sanctions] == ["warning"]
    codes = [line.code for line in overlay.lines]
    assert codes.count("overlay_duty") == 2
    assert "overlay_sanction" in codes
    assert "threshold_met" in codes


def test_boundary_of_the_regional_threshold() -> None:
    at = evaluate(snapshot("private", permanent=100, region="34.02"), today=TODAY)
    below = evaluate(snapshot("private", permanent=99, region="34.02"), today=TODAY)
    assert at.overlays[0].applies
    assert not below.overlays[0].applies


def test_overlay_uses_national_counts_and_leaves_national_figures_alone() -> None:
    disabled = (person(), person(evidence="self_declaration"))
    inside = evaluate(
        snapshot("regional_soe", permanent=120, outsourced=30, region="34.02", disabled=disabled),
        today=TODAY,
    )
    outside = evaluate(
        snapshot("regional_soe", permanent=120, outsourced=30, region="34.01", disabled=disabled),
        today=TODAY,
    )
    national_inside = inside.to_dict()
    national_outside = outside.to_dict()
    for key in ("denominator", "required", "counted", "gap", "status", "lines"):
        assert national_inside[key] == national_outside[key]
    assert outside.overlays == ()
    (overlay,) = inside.overlays
    assert overlay.denominator == inside.denominator == 120
    assert overlay.counted == inside.counted == 2
    assert inside.required == 3  # national 2 % of a BUMD
    assert overlay.required == 2  # the Perda's 1 % beside it, never instead of it


def test_overlay_not_in_force_before_its_date() -> None:
    result = evaluate(
        snapshot("private", as_of=date(2023, 12, 31), permanent=500, region="34.02"),
        today=TODAY,
    )
    assert result.overlays == ()


def test_snapshot_in_a_district_of_bantul_gets_the_overlay() -> None:
    result = evaluate(snapshot("private", permanent=500, region="34.02.05"), today=TODAY)
    assert [o.pack_id for o in result.overlays] == ["id-3402-bantul-perda-2-2024"]


def test_insufficient_national_data_makes_the_overlay_insufficient_too() -> None:
    result = evaluate(snapshot("private", permanent=None, region="34.02"), today=TODAY)
    assert result.status is Status.INSUFFICIENT_DATA
    assert result.overlays[0].status is Status.INSUFFICIENT_DATA
