"""The reference list of provinces and regencies/cities shipped in `compliance/data`: loading
it, and reading a region's name wherever a code would otherwise be shown."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.regions import Province, Regency

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "regions"


@dataclass(frozen=True)
class LoadReport:
    provinces_added: int
    regencies_added: int
    names_updated: int


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_regions(session: Session, data_dir: Path = DATA_DIR) -> LoadReport:
    """Insert new codes and update changed names; codes are never deleted (data points at them)."""
    _NAMES.clear()
    provinces = {p.code: p for p in session.scalars(select(Province))}
    regencies = {r.code: r for r in session.scalars(select(Regency))}
    added_p = added_r = updated = 0
    for row in _read(data_dir / "provinces.csv"):
        found = provinces.get(row["code"])
        if found is None:
            session.add(Province(code=row["code"], name=row["name"]))
            added_p += 1
        elif found.name != row["name"]:
            found.name = row["name"]
            updated += 1
    session.flush()
    for row in _read(data_dir / "regencies.csv"):
        reg = regencies.get(row["code"])
        if reg is None:
            session.add(
                Regency(code=row["code"], province_code=row["province_code"], name=row["name"])
            )
            added_r += 1
        elif reg.name != row["name"]:
            reg.name = row["name"]
            updated += 1
    session.flush()
    return LoadReport(added_p, added_r, updated)


#: Province and regency names by code, read once per process: reference data that changes
#: only when `load_regions` runs (which empties it).
_NAMES: dict[str, str] = {}


def region_name(session: Session, code: str | None) -> str:
    """The name of a province ("36") or a regency/city ("36.71"), for every page, chart and
    document that would otherwise show the code. An unknown code is returned as it is."""
    if not code:
        return ""
    if not _NAMES:
        _NAMES.update(
            (row.code, row.name) for row in session.execute(select(Province.code, Province.name))
        )
        _NAMES.update(
            (row.code, row.name) for row in session.execute(select(Regency.code, Regency.name))
        )
    return _NAMES.get(code, code)


#: Words a regency's name starts with that a chart label can do without or abbreviate.
_SHORTER = (
    ("Kota Administrasi ", ""),
    ("Kabupaten Administrasi ", "Kab. "),
    ("Kabupaten ", "Kab. "),
)


def short_name(name: str) -> str:
    """A regency's name for a chart's label: "Kota Administrasi Jakarta Pusat" is "Jakarta
    Pusat", "Kabupaten Bantul" is "Kab. Bantul" (the table beside the chart has it in full)."""
    for prefix, shorter in _SHORTER:
        if name.startswith(prefix):
            return shorter + name.removeprefix(prefix)
    return name
