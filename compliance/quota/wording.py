"""Words and number formats in Bahasa Indonesia and English, used by explanation lines.

Numbers follow each language's convention (Indonesian "1.000,5", English "1,000.5") so a sentence
reads naturally in either. Vocabulary codes (sectors, employment types...) map to `Term`s, which
keep the code beside both translations so a web page can still link or re-translate them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

Lang = Literal["id", "en"]
LANGS: tuple[Lang, Lang] = ("id", "en")


@dataclass(frozen=True, slots=True)
class Term:
    """A value shown as words: `key` is its stable code, `id`/`en` its translations."""

    key: str
    id: str
    en: str

    def text(self, lang: Lang) -> str:
        return self.id if lang == "id" else self.en


@dataclass(frozen=True, slots=True)
class Percent:
    """A rate shown as a percentage: Decimal("0.01") reads "1%"."""

    rate: Decimal


Param = int | Decimal | date | str | Term | Percent

_MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
              "September", "Oktober", "November", "Desember")  # fmt: skip
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")  # fmt: skip


def _plain(value: Decimal) -> str:
    """Fixed-point text of a Decimal without exponent or trailing zeros ("2.5", "1000")."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


_TO_INDONESIAN = str.maketrans(",.", ".,")


def format_number(value: int | Decimal, lang: Lang) -> str:
    if isinstance(value, int) or value == value.to_integral_value():
        text = f"{int(value):,}"
    else:
        text = format(value.normalize(), ",f")
    # Indonesian swaps the marks: thousands ".", decimals ",".
    return text.translate(_TO_INDONESIAN) if lang == "id" else text


def format_date(value: date, lang: Lang) -> str:
    months = _MONTHS_ID if lang == "id" else _MONTHS_EN
    return f"{value.day} {months[value.month - 1]} {value.year}"


def format_param(value: Param, lang: Lang) -> str:
    if isinstance(value, Term):
        return value.text(lang)
    if isinstance(value, Percent):
        return format_number(value.rate * 100, lang) + "%"
    if isinstance(value, bool):
        raise TypeError("booleans are not explanation parameters")
    if isinstance(value, int | Decimal):
        return format_number(value, lang)
    if isinstance(value, date):
        return format_date(value, lang)
    return value


def canonical_param(value: Param) -> str:
    """A language-neutral form of a parameter, for machines: codes, ISO dates, plain decimals."""
    if isinstance(value, Term):
        return value.key
    if isinstance(value, Percent):
        return _plain(value.rate)
    if isinstance(value, int | Decimal):
        return _plain(Decimal(value))
    if isinstance(value, date):
        return value.isoformat()
    return value


def join_terms(terms: Iterable[Term], key_separator: str = ",") -> Term:
    """Several terms as one: "a, b dan c" / "a, b and c"."""
    items = list(terms)

    def joined(words: list[str], conjunction: str) -> str:
        if len(words) <= 1:
            return "".join(words)
        return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]

    return Term(
        key_separator.join(term.key for term in items),
        joined([term.id for term in items], "dan"),
        joined([term.en for term in items], "and"),
    )


VOCABULARY: dict[str, Term] = {
    term.key: term
    for term in (
        Term("central_government", "pemerintah pusat", "central government"),
        Term("regional_government", "pemerintah daerah", "regional government"),
        Term("soe", "BUMN", "state-owned enterprise (BUMN)"),
        Term("regional_soe", "BUMD", "regional state-owned enterprise (BUMD)"),
        Term("private", "perusahaan swasta", "private company"),
        Term("permanent", "pekerja tetap (PKWTT)", "permanent workers (PKWTT)"),
        Term("fixed_term", "pekerja kontrak (PKWT)", "fixed-term workers (PKWT)"),
        Term("daily", "pekerja harian lepas", "daily workers"),
        Term("part_time", "pekerja paruh waktu", "part-time workers"),
        Term("outsourced", "pekerja alih daya", "outsourced workers"),
        Term("intern", "peserta magang", "interns"),
        Term("pns", "PNS", "civil servants (PNS)"),
        Term("pppk", "PPPK", "government contract employees (PPPK)"),
        Term("honorer", "tenaga honorer", "honorary staff (honorer)"),
        Term("physical", "disabilitas fisik", "physical disability"),
        Term("intellectual", "disabilitas intelektual", "intellectual disability"),
        Term("mental", "disabilitas mental", "mental disability"),
        Term("sensory", "disabilitas sensorik", "sensory disability"),
        Term("multiple", "disabilitas ganda", "multiple disabilities"),
        Term("kpd", "Kartu Penyandang Disabilitas (KPD)", "disability card (KPD)"),
        Term("medical_letter", "surat keterangan dokter", "medical letter"),
        Term("uld_assessment", "asesmen ULD", "ULD assessment"),
        Term("self_declaration", "pernyataan diri", "self-declaration"),
        Term("soe_subsidiary", "anak perusahaan BUMN", "subsidiary of a BUMN"),
        Term("regional_soe_subsidiary", "anak perusahaan BUMD", "subsidiary of a BUMD"),
        Term("cooperative", "koperasi", "cooperative (koperasi)"),
        Term("foundation", "yayasan", "foundation (yayasan)"),
        Term("compliant", "memenuhi kuota", "meets the quota"),
        Term("shortfall", "belum memenuhi kuota", "below the quota"),
        Term("no_obligation", "tidak ada kewajiban", "no obligation"),
        Term("insufficient_data", "data belum lengkap", "insufficient data"),
        Term("floor", "ke bawah", "down"),
        Term("ceil", "ke atas", "up"),
        Term("half_up", "ke bilangan terdekat (0,5 ke atas)", "to the nearest whole (0.5 up)"),
        Term("half_down", "ke bilangan terdekat (0,5 ke bawah)", "to the nearest whole (0.5 down)"),
        Term("half_even", "ke bilangan genap terdekat bila tepat 0,5", "half to even"),
    )
}


def term(code: str) -> Term:
    """The words for a vocabulary code; unknown codes show as themselves rather than failing."""
    return VOCABULARY.get(code) or Term(code, code, code)
