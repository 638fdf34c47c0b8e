"""The quota result in bilingual sentences for documents: receipts and evidence packs.

Documents handed to inspectors read Bahasa Indonesia with English in brackets whatever the
reader's language (see `services.receipts`), so these sentences are not run through gettext.
They say what the pages say (issue 15): the period's figures in whole people with the average
explained (item 4), whose obligation it is (item 5), and the regional rules where the
establishments lie (item 6), each with its source or the product-default mark. Everything is
read from the JSON a declaration stored, so a receipt shows what was filed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from compliance.labels import Bilingual
from compliance.quota import InputError
from compliance.quota.pack_catalog import default_registry
from compliance.services.declarations.people import (
    PeriodInPeople,
    entity_basis,
    in_people,
)

#: The quota status in both languages, worded as the pages word it (`compliance.labels`).
QUOTA_STATUS = Bilingual("quota_status")


def _n(value: Decimal | int, lang: str) -> str:
    return format_decimal(value, locale="id" if lang == "id" else "en")


def _both(value: Decimal | int) -> tuple[str, str]:
    return _n(value, "id"), _n(value, "en")


def _raw(value: Any) -> str:
    return "-" if value is None else str(value)


def _people(count: Decimal | int, lang: str) -> str:
    """A count of people: "3 orang" / "3 people", "1 person" (Indonesian has no plural)."""
    if lang == "id":
        return f"{_n(count, 'id')} orang"
    return f"{_n(count, 'en')} {'person' if count == 1 else 'people'}"


def _required(people: PeriodInPeople, lang: str) -> str:
    if people.is_uniform:
        return _n(people.required_high, lang)
    low, high = _n(people.required_low, lang), _n(people.required_high, lang)
    return f"{low}-{high}"


def people_rows(result: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Required, counted and gap of a stored period result, in whole people and words."""
    people = in_people(result)
    if people is None:  # no obligation or missing data: the engine's own figures, as stored
        return [
            ("Wajib dipekerjakan (Required)", _raw(result.get("required"))),
            ("Dihitung (Counted)", _raw(result.get("counted"))),
            ("Kekurangan (Gap)", _raw(result.get("gap"))),
        ]
    avg_id, avg_en = _both(people.counted_average)
    done_id, done_en = _both(people.counted_total)
    owed = people.required_total
    gap_text = f"{_people(people.gap, 'id')} ({_people(people.gap, 'en')})"
    if people.is_gap_rounded:
        short_id, short_en = _both(people.gap_average)
        gap_text += (
            f"; rata-rata {short_id}, dibulatkan ke atas karena orang dihitung utuh "
            f"({short_en} on average, rounded up: a person counts whole) "
            f"[{people.rounding_source('id')} / {people.rounding_source('en')}]"
        )
    return [
        (
            "Wajib dipekerjakan (Required)",
            f"{_required(people, 'id')} orang per bulan ({_required(people, 'en')} each month)",
        ),
        (
            "Dihitung (Counted)",
            f"rata-rata {avg_id} orang selama {people.months} bulan: {done_id} orang-bulan dari "
            f"{owed} yang wajib ({avg_en} on average over {people.months} months: "
            f"{done_en} person-months of the {owed} required)",
        ),
        ("Kekurangan (Gap)", gap_text),
        (
            "Cara menghitung periode (Period rule)",
            "Rata-rata hasil bulanan, karena undang-undang tidak menetapkan periode (the average "
            "of the monthly results, because the law sets no period) "
            f"[{people.period_source('id')} / {people.period_source('en')}]",
        ),
    ]


def entity_row() -> tuple[str, str]:
    """Whose obligation the figures are (item 5): the legal entity, not each workplace."""
    return (
        "Kewajiban siapa (Whose obligation)",
        "Badan hukum (NIB/NPWP) secara keseluruhan; angka per tempat kerja hanya rincian dan "
        "dibulatkan sendiri-sendiri, sehingga jumlahnya bisa lebih besar (the legal entity as a "
        "whole; figures per establishment are a breakdown, each rounded up on its own, so they "
        f"may add up to more) [{entity_basis('id')} / {entity_basis('en')}]",
    )


def pack_name(pack_id: str) -> str:
    """A rule pack by the law it encodes ("UU 8/2016"), not by its file id; a pack no longer
    shipped (a receipt outlives a release) keeps its id, which is all that is known of it."""
    try:
        return default_registry().get(pack_id).short_name
    except InputError:
        return pack_id


def day_in_words(iso: str, lang: str) -> str:
    """ "15 April 2016" from "2016-04-15", as a document prints a date."""
    return format_date(date.fromisoformat(iso), "d MMMM y", locale=lang)


def pack_rows(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Each rule pack the figures were computed under: the law, since when it is in force and
    when its sources were last checked; the pack's id in brackets, to find it in the catalogue."""
    return [
        (
            "Paket aturan (Rule pack)",
            f"{pack_name(p['id'])} [{p['id']}]: berlaku sejak "
            f"{day_in_words(p['effective_from'], 'id')}, sumber diperiksa "
            f"{day_in_words(p['verified_on'], 'id')} (in force from "
            f"{day_in_words(p['effective_from'], 'en')}, sources checked "
            f"{day_in_words(p['verified_on'], 'en')})",
        )
        for p in data.get("packs", [])
    ]


REGIONAL_LINES = (
    ("duties", "Kewajiban (Duty)"),
    ("sanctions", "Sanksi (Sanction)"),
)


def regional_rows(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Each regional rule where the establishments lie: status, figures, duties, sanctions."""
    rows: list[tuple[str, str]] = []
    for overlay in data.get("overlays") or []:
        places = ", ".join(overlay.get("establishments") or []) or "-"
        rows.append(
            (
                "Aturan daerah (Regional rules)",
                f"{overlay.get('short_name')}, {overlay.get('region_name_id')} "
                f"({overlay.get('region_name_en')}): "
                f"{QUOTA_STATUS.get(overlay.get('status', ''), '-')}; tempat kerja "
                f"(establishments): {places}",
            )
        )
        rows += [(f"  {label}", value) for label, value in people_rows(overlay)[:3]]
        rows.append(
            (
                "  Dasar (Basis)",
                "Dihitung atas pekerja di daerah itu saja (counted on the workers in that region "
                f"only) [{overlay.get('scope_source_id')} / {overlay.get('scope_source_en')}]",
            )
        )
        for key, label in REGIONAL_LINES:
            rows += [
                (f"  {label}", f"{line['text_id']} ({line['text_en']}) [{line['source_id']}]")
                for line in overlay.get(key) or []
            ]
    return rows


def regional_table(data: Mapping[str, Any]) -> list[list[str]]:
    """One row per regional rule for a worksheet (see `REGIONAL_COLUMNS`)."""
    table = []
    for overlay in data.get("overlays") or []:
        people = in_people(overlay)
        duties = overlay.get("duties") or []
        table.append(
            [
                str(overlay.get("pack_id", "")),
                str(overlay.get("region_name_id", "")),
                ", ".join(overlay.get("establishments") or []),
                QUOTA_STATUS.get(overlay.get("status", ""), "-"),
                _required(people, "en") if people else "-",
                _n(people.counted_average, "en") if people else "-",
                str(people.gap) if people else "-",
                "; ".join(str(line["text_id"]) for line in duties),
                "; ".join(dict.fromkeys(str(line["source_id"]) for line in duties)),
            ]
        )
    return table


REGIONAL_COLUMNS = (
    "Paket aturan (Rule pack)",
    "Daerah (Region)",
    "Tempat kerja (Establishments)",
    "Status daerah (Regional status)",
    "Wajib per bulan (Required each month)",
    "Dihitung rata-rata (Counted on average)",
    "Kekurangan orang (People short)",
    "Kewajiban daerah (Regional duties)",
    "Dasar hukum (Citation)",
)
