"""Rule packs: the shipped ones load and say what LAW.md says; malformed packs fail loudly."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from compliance.quota import (
    InputError,
    PackError,
    PackKind,
    PackRegistry,
    RoundingMode,
    Sector,
    default_registry,
    load_pack_text,
    load_registry,
)

PACK_DIR = Path(__file__).parents[2] / "compliance" / "quota" / "packs"


def uu8_text() -> str:
    return (PACK_DIR / "id-uu8-2016.toml").read_text(encoding="utf-8")


def test_shipped_packs_load() -> None:
    ids = {pack.id for pack in default_registry().packs}
    assert ids == {"id-uu8-2016", "id-pp43-1998", "id-3402-bantul-perda-2-2024"}
    assert {pack.id for pack in load_registry(PACK_DIR).packs} == ids


def test_uu8_pack() -> None:
    pack = default_registry().get("id-uu8-2016")
    assert pack.kind is PackKind.NATIONAL
    assert pack.effective_from == date(2016, 4, 15)
    assert pack.effective_to is None
    assert pack.rates[Sector.PRIVATE].rate == Decimal("0.01")
    assert pack.rates[Sector.REGIONAL_SOE].rate == Decimal("0.02")
    assert pack.rounding.mode is RoundingMode.CEIL
    assert pack.rounding.source.is_product_default
    assert pack.threshold is not None
    assert pack.threshold.min_denominator is None
    assert not pack.threshold.source.is_product_default
    assert pack.toggles == {
        "count_outsourced": False,
        "count_interns": False,
        "count_honorer": False,
    }
    assert pack.comparisons == ("id-pp43-1998",)


def test_pp43_pack() -> None:
    pack = default_registry().get("id-pp43-1998")
    assert pack.effective_to == date(2016, 4, 14)
    assert pack.is_history
    assert pack.rounding.mode is RoundingMode.FLOOR
    assert Sector.CENTRAL_GOVERNMENT not in pack.rates
    (minimum,) = pack.minimums
    assert (minimum.attribute, minimum.below_denominator, minimum.required) == ("high_tech", 100, 1)


def test_bantul_overlay_pack() -> None:
    pack = default_registry().get("id-3402-bantul-perda-2-2024")
    assert pack.kind is PackKind.OVERLAY
    assert pack.region == "34.02"
    assert pack.threshold is not None
    assert pack.threshold.min_denominator == 100
    assert {duty.code for duty in pack.duties} == {"employ", "report_placements"}
    assert [sanction.code for sanction in pack.sanctions] == ["warning"]
    assert pack.denominator is None


def test_every_parameter_source_has_a_citation_or_is_a_product_default() -> None:
    for pack in default_registry().packs:
        for source in pack.sources.values():
            assert source.citation is not None or source.is_product_default, (pack.id, source.key)
            assert source.last_verified <= date(2026, 11, 23)


@pytest.mark.parametrize(
    ("on", "pack_id"),
    [
        (date(1998, 4, 27), None),
        (date(1998, 4, 28), "id-pp43-1998"),
        (date(2016, 4, 14), "id-pp43-1998"),
        (date(2016, 4, 15), "id-uu8-2016"),
        (date(2030, 1, 1), "id-uu8-2016"),
    ],
)
def test_boundary_dates_pick_the_right_pack(on: date, pack_id: str | None) -> None:
    registry = default_registry()
    if pack_id is None:
        with pytest.raises(InputError, match="before the first rule pack"):
            registry.national_for("ID", on)
    else:
        assert registry.national_for("ID", on).id == pack_id


def test_overlays_match_the_region_and_regions_inside_it() -> None:
    registry = default_registry()
    on = date(2025, 1, 1)
    assert [p.id for p in registry.overlays_for("ID", "34.02", on)] == [
        "id-3402-bantul-perda-2-2024"
    ]
    assert len(registry.overlays_for("ID", "34.02.05", on)) == 1
    assert registry.overlays_for("ID", "34.01", on) == ()
    assert registry.overlays_for("ID", "34", on) == ()  # the province is wider than Bantul
    assert registry.overlays_for("ID", "34.02", date(2023, 12, 31)) == ()
    assert registry.overlays_for("ID", None, on) == ()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('mode = "ceil"', 'mode = "ceiling"', "rounding.mode: unknown value 'ceiling'"),
        ("rate = 0.01", "rate = 1.5", "rates.private.rate: is a fraction"),
        ("rate = 0.01", 'rate = "0.01"', "rates.private.rate: must be a number"),
        ('source = "uu8_53_2"', 'source = "nowhere"', "refers to unknown source 'nowhere'"),
        ("[denominator.daily]\n", "[denominator.dayly]\n", "denominator.dayly: unknown value"),
        ("[rates.private]", "[rates.privat]", "rates.privat: unknown value 'privat'"),
        (
            "effective_from = 2016-04-15",
            "effective_from = 2016-04-15\nextra = 1",
            "pack: unknown key",
        ),
        (
            "last_verified = 2026-11-23\n",
            "last_verified = '2026'\n",
            "last_verified: must be a TOML date",
        ),
        ("format = 1", "format = 2", "format: must be 1"),
        ('kind = "national"', 'kind = "national"\nregion = "34"', "pack.region: only an overlay"),
    ],
)
def test_malformed_packs_are_rejected_naming_the_key(old: str, new: str, message: str) -> None:
    text = uu8_text()
    assert old in text
    with pytest.raises(PackError) as raised:
        load_pack_text(text.replace(old, new, 1), "broken.toml")
    assert message in str(raised.value)
    assert str(raised.value).startswith("broken.toml: ")


def test_a_missing_employment_type_is_rejected() -> None:
    text = uu8_text().replace('[denominator.daily]\nsource = "default_headcount"\n', "")
    with pytest.raises(PackError, match="missing employment type\\(s\\): daily"):
        load_pack_text(text)


def test_invalid_toml_is_rejected() -> None:
    with pytest.raises(PackError, match="not valid TOML"):
        load_pack_text("this is = = not toml")


def test_registry_rejects_overlapping_national_packs_and_duplicates() -> None:
    uu8 = default_registry().get("id-uu8-2016")
    pp43 = default_registry().get("id-pp43-1998")
    overlapping = load_pack_text(uu8_text().replace('"id-uu8-2016"', '"id-other"'))
    with pytest.raises(PackError, match="overlaps"):
        PackRegistry([uu8, pp43, overlapping])
    with pytest.raises(PackError, match="share this id"):
        PackRegistry([uu8, uu8])
    with pytest.raises(PackError, match="unknown pack 'id-pp43-1998'"):
        PackRegistry([uu8])


def test_pack_staleness_uses_the_oldest_source() -> None:
    pack = default_registry().get("id-uu8-2016")
    older = load_pack_text(
        uu8_text().replace("last_verified = 2026-11-23", "last_verified = 2020-01-01", 1)
    )
    assert older.oldest_verification == date(2020, 1, 1)
    assert pack.oldest_verification == date(2026, 11, 23)
    assert older.oldest_verification < pack.oldest_verification - timedelta(days=365)
