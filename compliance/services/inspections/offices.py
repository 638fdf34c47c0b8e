"""The inspectorate offices' letterheads, kept by administrators per province.

A nota pemeriksaan is a letter of the provincial office that employs the inspector (labour
inspection is a provincial function, UU 23/2014), so its kop surat, the town it is dated in and
the code in its number are the office's. An administrator keeps them here, one per province;
a province without one still gets a letter, headed with the province's name only, so an
inspector is never kept from issuing a nota by a missing setting. Changes are audited and
apply to letters issued afterwards; letters already issued keep the letterhead they have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.accounts import Role, User
from compliance.models.letters import InspectorateOffice
from compliance.models.regions import Province
from compliance.services import NotFound, PermissionDenied, ServiceError
from compliance.services.audit import record_event

#: Field -> (longest length, required): the columns' sizes.
FIELDS = {
    "name": (200, True),
    "unit": (200, False),
    "address": (300, True),
    "phone": (40, False),
    "email": (120, False),
    "city": (100, True),
    "letter_code": (40, True),
}
#: A letter number's part: letters, digits, dots and hyphens, as offices write them.
CODE_PATTERN = re.compile(r"^[A-Za-z0-9.\-]+$")


@dataclass(frozen=True)
class Letterhead:
    name: str
    unit: str
    address: str
    contact: str
    city: str
    letter_code: str


def letterhead(office: InspectorateOffice | None, province: Province) -> Letterhead:
    """The office's letterhead, or the province's name alone where none is kept yet."""
    if office is None:
        return Letterhead(
            name=f"Pengawas Ketenagakerjaan Provinsi {province.name}",
            unit="",
            address="",
            contact="",
            city=province.name,
            letter_code=f"WASNAKER-{province.code}",
        )
    contact = " · ".join(
        part
        for part in (
            f"Telepon {office.phone}" if office.phone else "",
            f"Surel {office.email}" if office.email else "",
        )
        if part
    )
    return Letterhead(
        office.name, office.unit or "", office.address, contact, office.city, office.letter_code
    )


@dataclass(frozen=True)
class ProvinceOffice:
    province: Province
    office: InspectorateOffice | None


def list_offices(session: Session) -> list[ProvinceOffice]:
    offices = {o.province_code: o for o in session.scalars(select(InspectorateOffice))}
    provinces = session.scalars(select(Province).order_by(Province.code))
    return [ProvinceOffice(p, offices.get(p.code)) for p in provinces]


def get_province(session: Session, code: str) -> ProvinceOffice:
    province = session.get(Province, code[:2])
    if province is None:
        raise NotFound(_("Province not found."))
    return ProvinceOffice(province, session.get(InspectorateOffice, province.code))


def _cleaned(values: dict[str, str | None]) -> dict[str, str | None]:
    cleaned: dict[str, str | None] = {}
    for name, (longest, required) in FIELDS.items():
        value = " ".join((values.get(name) or "").split()) or None
        if required and value is None:
            raise ServiceError(_("This field is required."), field=name)
        if value is not None and len(value) > longest:
            raise ServiceError(_("Use at most %(max)d characters.", max=longest), field=name)
        cleaned[name] = value
    if not CODE_PATTERN.match(cleaned["letter_code"] or ""):
        raise ServiceError(
            _("Use letters, digits, dots and hyphens only, e.g. Disnakertrans-DKI."),
            field="letter_code",
        )
    return cleaned


def save_office(
    session: Session, actor: User, province_code: str, values: dict[str, str | None]
) -> InspectorateOffice:
    """Create or change a province's office; the letters issued from now on carry it."""
    if actor.role is not Role.ADMIN:
        raise PermissionDenied(_("Only administrators keep the inspectorate offices."))
    found = get_province(session, province_code)
    cleaned = _cleaned(values)
    office = found.office or InspectorateOffice(province_code=found.province.code)
    changed = [name for name, value in cleaned.items() if getattr(office, name) != value]
    for name in changed:
        setattr(office, name, cleaned[name])
    office.updated_by_id = actor.id
    session.add(office)
    session.flush()
    if changed:
        record_event(
            session,
            actor,
            "inspection.office_saved",
            ("InspectorateOffice", found.province.code),
            data={"province": found.province.code, "fields": changed},
        )
    return office
