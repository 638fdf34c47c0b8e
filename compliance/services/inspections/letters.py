"""Nota pemeriksaan letters: issued with the case step, stored as issued, checked by anyone.

When an inspector records a finding (nota I) or escalates a case to nota II, the letter is
drawn (`letter_pdf`) from the case, its declaration as filed and the issuing office's
letterhead (`offices`), numbered in the office's sequence of the year, and stored with its
SHA-256 beside the timeline event that issued it, in the same transaction. The stored bytes
are the letter: both sides download exactly them, the evidence pack carries them, and a copy
whose SHA-256 differs was changed (`check_letter`).

The issuing province is the inspector's that holds the organisation's head office, else the
first of theirs where it has an establishment (an administrator issues from the head office's).
Numbers ("0007/NP-I/Disnakertrans-DKI/XII/2026") run per province and year: the province's row
is locked while the next one is read (PostgreSQL), with a unique constraint behind it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer

from compliance.clock import Zone, as_utc, local_date, local_time, utcnow, zone_label
from compliance.models.accounts import Role, User
from compliance.models.declarations import Declaration
from compliance.models.inspections import CaseEvent, CaseEventKind, InspectionCase
from compliance.models.letters import CaseLetter, InspectorateOffice, LetterKind
from compliance.models.organizations import Organization
from compliance.models.regions import Province
from compliance.models.tenancy import SKIP_OPTION
from compliance.services import NotFound, settings
from compliance.services.declarations.people import in_people
from compliance.services.inspections.letter_pdf import (
    ROMAN_MONTHS,
    LetterContent,
    letter_pdf,
    long_date,
)
from compliance.services.inspections.offices import letterhead
from compliance.services.inspections.working_days import working_calendar
from compliance.services.quota_wording import pack_name
from compliance.services.staff import format_nip

#: The public page that checks a letter (also its route), printed on every letter.
VERIFY_PATH = "/letters/verify"
TITLES = {LetterKind.NOTA_1: "Nota pemeriksaan I", LetterKind.NOTA_2: "Nota pemeriksaan II"}
MAX_NUMBER = 80

LEGAL_BASIS = {
    True: "Undang-Undang Nomor 8 Tahun 2016 tentang Penyandang Disabilitas, Pasal 53 ayat (1): "
    '"Pemerintah, Pemerintah Daerah, Badan Usaha Milik Negara, dan Badan Usaha Milik Daerah '
    "wajib mempekerjakan paling sedikit 2% (dua persen) Penyandang Disabilitas dari jumlah "
    'pegawai atau pekerja."',
    False: "Undang-Undang Nomor 8 Tahun 2016 tentang Penyandang Disabilitas, Pasal 53 ayat (2): "
    '"Perusahaan swasta wajib mempekerjakan paling sedikit 1% (satu persen) Penyandang '
    'Disabilitas dari jumlah pegawai atau pekerja."',
}
INSPECTION_BASIS = (
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah sebagaimana telah beberapa "
    "kali diubah, Lampiran Pembagian Urusan Pemerintahan Bidang Tenaga Kerja, sub urusan "
    "Pengawasan Ketenagakerjaan: penyelenggaraan pengawasan ketenagakerjaan merupakan urusan "
    "pemerintah daerah provinsi.",
    "Peraturan Menteri Ketenagakerjaan Nomor 33 Tahun 2016 tentang Tata Cara Pengawasan "
    "Ketenagakerjaan sebagaimana telah diubah dengan Peraturan Menteri Ketenagakerjaan Nomor 1 "
    "Tahun 2020.",
)


def _issuing_province(session: Session, actor: User, organization: Organization) -> Province:
    head = organization.head_office_regency_code[:2]
    present = {e.regency_code[:2] for e in organization.establishments} | {head}
    mine = {p.code for p in actor.provinces} if actor.role is Role.INSPECTOR else set()
    code = head if not mine or head in mine else min(mine & present, default=head)
    province = session.get(Province, code)
    assert province is not None  # reference data
    return province


def _next_seq(session: Session, province: Province, year: int) -> int:
    session.execute(select(Province.code).where(Province.code == province.code).with_for_update())
    highest = session.scalar(
        select(func.max(CaseLetter.seq))
        .where(CaseLetter.province_code == province.code, CaseLetter.year == year)
        .execution_options(**{SKIP_OPTION: True})  # the sequence spans every organisation
    )
    return (highest or 0) + 1


def working_days_until(session: Session, start: date, deadline: date) -> int:
    """Working days after `start` up to and including `deadline` (weekends, holidays and cuti
    bersama not counted), as the deadline was counted."""
    calendar = working_calendar(session, since=start)
    days = (deadline - start).days
    return sum(calendar.is_working_day(start + timedelta(n)) for n in range(1, days + 1))


def _figures(declaration: Declaration | None) -> tuple[str, str, str, int]:
    entity = declaration.data.get("entity", {}) if declaration else {}
    people = in_people(entity)
    if people is None:
        raw = [str(entity.get(k, "-")) for k in ("required", "counted", "gap")]
        return raw[0], raw[1], raw[2], 0
    low, high = people.required_low, people.required_high
    required = f"{high}" if low == high else f"{low} sampai {high}"
    average = format_decimal(people.counted_average, locale="id")
    return (
        f"{required} orang setiap bulan",
        f"rata-rata {average} orang selama {people.months} bulan",
        f"{people.gap} orang",
        people.gap,
    )


def _basis(organization: Organization, declaration: Declaration | None) -> tuple[str, ...]:
    """The quota's article for the sector, the inspection's basis, then the rule packs the
    figures were computed under (in force, not the historical comparisons) and each regional
    rule with its articles. Product defaults are not law and are not cited as such."""
    data = declaration.data if declaration else {}
    entity = data.get("entity", {})
    in_force = dict.fromkeys(str(m["pack_id"]) for m in entity.get("months", []) if "pack_id" in m)
    basis = [LEGAL_BASIS[organization.sector.is_public], *INSPECTION_BASIS]
    for pack in data.get("packs", []):
        if pack.get("id") in in_force:
            basis.append(
                f"Angka dihitung menurut ketentuan {pack_name(str(pack['id']))} yang berlaku "
                f"sejak {long_date(date.fromisoformat(str(pack['effective_from'])))}; "
                "pembulatan ke atas dan rata-rata bulanan adalah ketentuan bawaan Kuota Inklusi, "
                "bukan bunyi undang-undang."
            )
    for overlay in data.get("overlays") or []:
        sources = "; ".join(dict.fromkeys(str(d["source_id"]) for d in overlay.get("duties", [])))
        basis.append(
            f"{overlay.get('short_name')} ({overlay.get('region_name_id')})"
            + (f": {sources}." if sources else ".")
        )
    return tuple(basis)


def _sanctions(declaration: Declaration | None) -> tuple[str, ...]:
    overlays = (declaration.data.get("overlays") or []) if declaration else []
    return tuple(
        f"Sanksi menurut peraturan daerah: {line['text_id']} [{line['source_id']}]"
        for overlay in overlays
        for line in overlay.get("sanctions") or []
    )


def _addressee(organization: Organization) -> tuple[str, str]:
    head = next((e for e in organization.establishments if e.is_head_office), None)
    regency = head.regency if head else None
    place = regency.name if regency else organization.head_office_regency_code
    return (head.address or "") if head else "", place


def _previous(session: Session, case: InspectionCase, is_second: bool) -> str:
    if not is_second:
        return ""
    first = session.scalar(
        select(CaseLetter).where(
            CaseLetter.case_id == case.id, CaseLetter.kind == LetterKind.NOTA_1
        )
    )
    if first is None:
        return ""
    return (
        f"Nota pemeriksaan I Nomor {first.number} tanggal "
        f"{long_date(local_date(first.created_at, case.organization.zone))} belum "
        "dilaksanakan sepenuhnya."
    )


def month_span(months: list[str]) -> str:
    """ "Januari s.d. Desember 2025" from the declaration's "2025-01" … "2025-12"."""
    if not months:
        return "-"
    first, last = (date.fromisoformat(f"{m}-01") for m in (months[0], months[-1]))
    if first == last:
        return format_date(first, "MMMM y", locale="id")
    start = format_date(first, "MMMM" if first.year == last.year else "MMMM y", locale="id")
    return f"{start} s.d. {format_date(last, 'MMMM y', locale='id')}"


def letter_time(instant: datetime, zone: Zone) -> str:
    """ "16 November 2026 pukul 10.00 WIB": a time as an Indonesian letter writes it."""
    local = local_time(instant, zone)
    return f"{long_date(local.date())} pukul {local:%H.%M} {zone.name}"


def _verify_url(number: str) -> str:
    return f"{settings().base_url}{VERIFY_PATH}?{urlencode({'number': number})}"


def issue_letter(
    session: Session, actor: User, case: InspectionCase, event: CaseEvent, *, today: date
) -> CaseLetter:
    """Draw, number and store the nota the case step `event` issues (in its transaction)."""
    is_second = event.kind is CaseEventKind.NOTA_2
    kind = LetterKind.NOTA_2 if is_second else LetterKind.NOTA_1
    organization = case.organization
    declaration = session.get(Declaration, case.declaration_id) if case.declaration_id else None
    province = _issuing_province(session, actor, organization)
    office = letterhead(session.get(InspectorateOffice, province.code), province)
    seq = _next_seq(session, province, today.year)
    number = (
        f"{seq:04d}/NP-{'II' if is_second else 'I'}/{office.letter_code}/"
        f"{ROMAN_MONTHS[today.month - 1]}/{today.year}"
    )
    address, place = _addressee(organization)
    required, counted, gap, gap_people = _figures(declaration)
    months = (declaration.data.get("months") or []) if declaration else []
    assert case.deadline_on is not None  # a nota always gives a deadline
    content = LetterContent(
        is_second=is_second,
        number=number,
        issued_on=today,
        created_at=as_utc(utcnow().replace(microsecond=0)),
        province_name=province.name,
        office_name=office.name,
        office_unit=office.unit,
        office_address=office.address,
        office_contact=office.contact,
        city=office.city,
        addressee=organization.name,
        addressee_address=address,
        addressee_place=place,
        period=declaration.period.label if declaration else "-",
        months=month_span(months),
        submitted=letter_time(declaration.submitted_at, organization.zone)
        if declaration and declaration.submitted_at
        else "-",
        receipt_number=(declaration.receipt_number if declaration else None) or "-",
        legal_basis=_basis(organization, declaration),
        required=required,
        counted=counted,
        gap=gap,
        gap_people=gap_people,
        finding=case.finding,
        previous=_previous(session, case, is_second),
        deadline_on=case.deadline_on,
        working_days=working_days_until(session, today, case.deadline_on),
        sanctions=_sanctions(declaration),
        inspector=actor.name,
        nip=format_nip(actor.nip) if actor.nip else "",
        verify_url=_verify_url(number),
    )
    data = letter_pdf(content)
    letter = CaseLetter(
        organization_id=case.organization_id,
        case_id=case.id,
        event_id=event.id,
        kind=kind,
        number=number,
        province_code=province.code,
        year=today.year,
        seq=seq,
        filename=f"nota-pemeriksaan-{'2' if is_second else '1'}-{organization.nib}-"
        f"{today.year}-{seq:04d}.pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content=data,
    )
    session.add(letter)
    session.flush()
    return letter


def letters_by_event(session: Session, case_id: int) -> dict[int, CaseLetter]:
    """The case's letters by the timeline event that issued them (within the session's reach)."""
    letters = session.scalars(select(CaseLetter).where(CaseLetter.case_id == case_id))
    return {letter.event_id: letter for letter in letters}


def get_letter(session: Session, letter_id: int) -> CaseLetter:
    """A letter with its bytes, within the session's reach (another organisation's: not found)."""
    letter = session.scalar(
        select(CaseLetter).where(CaseLetter.id == letter_id).options(undefer(CaseLetter.content))
    )
    if letter is None:
        raise NotFound(_("Letter not found."))
    return letter


@dataclass(frozen=True)
class PackLetter:
    """A letter as an evidence pack carries it: the file, and its line in the summary."""

    title: str
    issued: str
    path: str
    sha256: str
    content: bytes


def pack_letters(
    session: Session, declaration_ids: list[int], zone: Zone
) -> tuple[PackLetter, ...]:
    if not declaration_ids:
        return ()
    letters = session.scalars(
        select(CaseLetter)
        .join(InspectionCase, InspectionCase.id == CaseLetter.case_id)
        .where(InspectionCase.declaration_id.in_(declaration_ids))
        .options(undefer(CaseLetter.content))
        .order_by(CaseLetter.id)
    )
    return tuple(
        PackLetter(
            title=f"{TITLES[letter.kind]} Nomor {letter.number}",
            issued=f"diterbitkan (issued) {zone_label(letter.created_at, zone)}",
            path=f"nota/{letter.filename}",
            sha256=letter.sha256,
            content=letter.content,
        )
        for letter in letters
    )


@dataclass(frozen=True)
class LetterCheck:
    """The public page's answer; `problem` None means the copy is the letter as issued."""

    problem: str | None
    number: str = ""
    title: str = ""
    organization: str = ""
    issued_on: date | None = None
    sha256: str = ""


def cleaned_number(number: str | None) -> str:
    return " ".join((number or "")[:MAX_NUMBER].split())


def check_letter(session: Session, number: str, data: bytes) -> LetterCheck:
    """Whether `data` is, byte for byte, a letter issued here (and the one numbered `number`,
    when given). Nothing about a letter is shown unless the copy matches it."""
    digest = hashlib.sha256(data).hexdigest()
    letter = session.scalar(
        select(CaseLetter)
        .where(CaseLetter.sha256 == digest)
        .execution_options(**{SKIP_OPTION: True})
    )
    if letter is None or (number and letter.number != number):
        named = number and session.scalar(
            select(func.count(CaseLetter.id))
            .where(CaseLetter.number == number)
            .execution_options(**{SKIP_OPTION: True})
        )
        return LetterCheck(
            _(
                "A letter with this number was issued here, but this file is not it: its "
                "content was changed after it was issued."
            )
            if named
            else _("This file is not a letter issued by this service, or it was changed."),
            number,
            sha256=digest,
        )
    organization = session.scalar(
        select(Organization.name)
        .where(Organization.id == letter.organization_id)
        .execution_options(**{SKIP_OPTION: True})
    )
    return LetterCheck(
        None,
        letter.number,
        TITLES[letter.kind],
        organization or "",
        local_date(letter.created_at),
        digest,
    )
