"""The clock's zone rule: which province keeps which time, and what "today" is in each."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime

import pytest

from compliance.clock import WIB, WIT, WITA, today_in, zone_label, zone_of_region
from compliance.config import PROJECT_ROOT

PROVINCES = PROJECT_ROOT / "compliance" / "data" / "regions" / "provinces.csv"


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("31", WIB),  # DKI Jakarta
        ("11", WIB),  # Aceh
        ("61", WIB),  # Kalimantan Barat
        ("62", WIB),  # Kalimantan Tengah
        ("51", WITA),  # Bali
        ("53", WITA),  # Nusa Tenggara Timur
        ("64", WITA),  # Kalimantan Timur
        ("73", WITA),  # Sulawesi Selatan
        ("81", WIT),  # Maluku
        ("91", WIT),  # Papua
        ("96", WIT),  # Papua Barat Daya
        ("91.71", WIT),  # Kota Jayapura: a regency follows its province
    ],
)
def test_each_province_keeps_its_legal_time(code, zone):
    assert zone_of_region(code) is zone


def test_every_province_of_the_reference_data_has_a_zone_and_unknown_codes_are_wib():
    with PROVINCES.open(encoding="utf-8") as rows:
        codes = [row["code"] for row in csv.DictReader(rows)]
    assert len(codes) == 38
    counts = {zone.name: 0 for zone in (WIB, WITA, WIT)}
    for code in codes:
        counts[zone_of_region(code).name] += 1
    assert counts == {"WIB": 18, "WITA": 12, "WIT": 8}
    assert zone_of_region(None) is WIB
    assert zone_of_region("99") is WIB


def test_new_year_arrives_in_the_east_first():
    instant = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # 23:30 WIB
    assert today_in(WIB, at=instant) == date(2026, 12, 31)
    assert today_in(WITA, at=instant) == date(2027, 1, 1)
    assert today_in(WIT, at=instant) == date(2027, 1, 1)


def test_documents_name_the_zone_of_a_stored_instant():
    stored = datetime(2026, 11, 16, 3, 0, tzinfo=UTC).replace(tzinfo=None)  # as stored: naive UTC
    assert zone_label(stored) == "2026-11-16 10:00 WIB"
    assert zone_label(stored, WIT) == "2026-11-16 12:00 WIT"
