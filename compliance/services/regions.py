"""Loading the reference list of provinces and regencies/cities shipped in `compliance/data`."""

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
