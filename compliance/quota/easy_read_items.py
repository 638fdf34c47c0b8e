"""The sentences of the Easy-Read explanation, one builder per section, from pack data.

Sentences are short and concrete (Easy-Read style); each keeps the source it rests on, so the page
can show the citation or the product-default mark beside it, exactly as explanation lines do.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from compliance.quota.assess import rounding_term
from compliance.quota.citation import Citation, Source, source_label
from compliance.quota.pack import PeriodMethod, RulePack
from compliance.quota.rounding import round_required
from compliance.quota.vocab import EmploymentType, EvidenceType, Sector
from compliance.quota.wording import Lang, format_date, format_number, join_terms, term

EXAMPLE_WORKERS = 250  # LAW.md's first worked example
HISTORY_EXAMPLE_WORKERS = 99  # LAW.md: the repealed rule gives 0 where the current one gives 1


@dataclass(frozen=True, slots=True)
class EasyReadItem:
    text_id: str
    text_en: str
    citation: Citation | None
    is_product_default: bool

    def text(self, lang: Lang) -> str:
        return self.text_id if lang == "id" else self.text_en

    def source(self, lang: Lang) -> str:
        return source_label(self.citation, self.is_product_default, lang)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text_id": self.text_id,
            "text_en": self.text_en,
            "citation": self.citation.to_dict() if self.citation else None,
            "is_product_default": self.is_product_default,
            "source_id": self.source("id"),
            "source_en": self.source("en"),
        }


def item(text_id: str, text_en: str, source: Source | None) -> EasyReadItem:
    return EasyReadItem(
        text_id,
        text_en,
        source.citation if source else None,
        source.is_product_default if source else True,
    )


def _cap(text: str) -> str:
    """Capitalised for the start of a sentence, keeping acronyms ("BUMN") intact."""
    return text[:1].upper() + text[1:]


def _per_hundred(rate: Decimal, lang: Lang) -> str:
    return format_number(rate * 100, lang)


def who_items(pack: RulePack) -> list[EasyReadItem]:
    items = []
    for sector in Sector:
        rule = pack.rates.get(sector)
        word = term(sector.value)
        if rule is None:
            items.append(
                item(
                    f"{_cap(word.id)}: tidak diatur.",
                    f"{_cap(word.en)}: not covered.",
                    pack.effective_source,
                )
            )
            continue
        items.append(
            item(
                f"{_cap(word.id)}: paling sedikit {_per_hundred(rule.rate, 'id')} "
                "dari setiap 100 pekerja adalah penyandang disabilitas.",
                f"{_cap(word.en)}: at least {_per_hundred(rule.rate, 'en')} in every 100 "
                "workers must be persons with disabilities.",
                rule.source,
            )
        )
    for form in pack.legal_forms.values():
        word, rated = term(form.legal_form.value), term(form.rate_as.value)
        check_id = " Periksa sektor Anda." if form.needs_verification else ""
        check_en = " Check your sector." if form.needs_verification else ""
        items.append(
            item(
                f"{_cap(word.id)} dihitung seperti {rated.id}.{check_id}",
                f"A {word.en} counts like a {rated.en}.{check_en}",
                form.source,
            )
        )
    threshold = pack.threshold
    if threshold is not None and threshold.min_denominator is None:
        items.append(
            item(
                "Semua pemberi kerja wajib, besar atau kecil.",
                "Every employer must do this, large or small.",
                threshold.source,
            )
        )
    elif threshold is not None:
        minimum = threshold.min_denominator or 0
        items.append(
            item(
                f"Hanya pemberi kerja dengan paling sedikit {format_number(minimum, 'id')} "
                "pekerja.",
                f"Only employers with at least {format_number(minimum, 'en')} workers.",
                threshold.source,
            )
        )
    return items


def worker_items(pack: RulePack) -> list[EasyReadItem]:
    rules = pack.denominator or {}
    counted = [rule for rule in rules.values() if rule.is_counted]
    names = join_terms(term(rule.employment_type.value) for rule in counted)
    first = rules[EmploymentType.PERMANENT]
    items = [
        item(f"Hitung setiap orang: {names.id}.", f"Count every person: {names.en}.", first.source)
    ]
    for rule in rules.values():
        if not rule.is_counted and rule.reason is not None:
            items.append(item(rule.reason.id, rule.reason.en, rule.source))
    return items


def disabled_items(pack: RulePack) -> list[EasyReadItem]:
    numerator = pack.numerator
    assert numerator is not None
    accepted = join_terms(
        term(kind.value) for kind in EvidenceType if kind in numerator.accepted_evidence
    )
    items = [
        item(
            f"Hitung {numerator.definition.id}.",
            f"Count {numerator.definition.en}.",
            numerator.definition_source,
        ),
        item(
            "Satu orang dihitung satu kali saja.",
            "One person counts once.",
            numerator.counting_source,
        ),
        item(
            f"Bukti yang diterima: {accepted.id}.",
            f"Evidence accepted: {accepted.en}.",
            numerator.evidence_source,
        ),
    ]
    if numerator.unverified_evidence:
        flagged = join_terms(
            term(kind.value) for kind in EvidenceType if kind in numerator.unverified_evidence
        )
        items.append(
            item(
                f"{_cap(flagged.id)} tetap dihitung, tetapi ditandai 'belum terverifikasi'.",
                f"{_cap(flagged.en)} still counts, but is marked 'unverified'.",
                numerator.evidence_source,
            )
        )
    for weight in numerator.weights:
        items.append(
            item(
                f"{weight.label.id}: dihitung {format_number(weight.weight, 'id')}.",
                f"{weight.label.en}: counts {format_number(weight.weight, 'en')}.",
                weight.source,
            )
        )
    return items


def number_items(pack: RulePack) -> list[EasyReadItem]:
    rounding = rounding_term(pack)
    items = [
        item(
            "Kalikan jumlah pekerja dengan persentase sektor Anda.",
            "Multiply the number of workers by your sector's percentage.",
            next(iter(pack.rates.values())).source,
        ),
        item(
            f"Bulatkan hasilnya {rounding.id}.",
            f"Round the result {rounding.en}.",
            pack.rounding.source,
        ),
    ]
    example = pack.rates.get(Sector.PRIVATE) or next(iter(pack.rates.values()))
    exact = example.rate * EXAMPLE_WORKERS
    required = round_required(exact, pack.rounding.mode, pack.rounding.cutoff)
    word = term(example.sector.value)
    items.append(
        item(
            f"Contoh: {word.id} dengan {EXAMPLE_WORKERS} pekerja: {format_number(exact, 'id')}, "
            f"dibulatkan {rounding.id} = {required} orang.",
            f"Example: a {word.en} with {EXAMPLE_WORKERS} workers: {format_number(exact, 'en')}, "
            f"rounded {rounding.en} = {required} persons.",
            pack.rounding.source,
        )
    )
    for minimum in pack.minimums:
        items.append(
            item(
                f"{minimum.label.id}: paling sedikit {minimum.required} orang.",
                f"{minimum.label.en}: at least {minimum.required} persons.",
                minimum.source,
            )
        )
    return items


def period_items(pack: RulePack) -> list[EasyReadItem]:
    rule = pack.period
    assert rule is not None
    texts = {
        PeriodMethod.AVERAGE_OF_MONTHLY_RESULTS: (
            "Hitung setiap bulan. Laporan tahunan memakai rata-rata hasil bulanan.",
            "Count every month. The yearly report uses the average of the monthly results.",
        ),
        PeriodMethod.RULE_ON_AVERAGE_DENOMINATOR: (
            "Hitung rata-rata jumlah pekerja dalam setahun, lalu hitung kuotanya.",
            "Take the average number of workers over the year, then compute the quota.",
        ),
        PeriodMethod.SUM_OF_MONTHLY_RESULTS: (
            "Hitung setiap bulan. Kekurangan setiap bulan dijumlahkan.",
            "Count every month. The gaps of all months are added up.",
        ),
    }
    text_id, text_en = texts[rule.method]
    return [item(text_id, text_en, rule.source)]


def regional_items(overlay: RulePack) -> list[EasyReadItem]:
    name = overlay.region_name
    items = [
        item(
            f"{name.id if name else overlay.region}: {overlay.short_name} menambah kewajiban "
            "daerah. Kewajiban nasional tetap berlaku.",
            f"{name.en if name else overlay.region}: {overlay.short_name} adds regional duties. "
            "The national obligation still applies.",
            overlay.effective_source,
        )
    ]
    items.extend(item(d.text.id, d.text.en, d.source) for d in overlay.duties)
    items.extend(
        item(f"Sanksi: {s.text.id}", f"Sanction: {s.text.en}", s.source) for s in overlay.sanctions
    )
    return items


def history_items(
    old: RulePack, current: RulePack, workers: int = HISTORY_EXAMPLE_WORKERS
) -> list[EasyReadItem]:
    until = old.effective_to or old.effective_from
    rule = old.rates.get(Sector.PRIVATE) or next(iter(old.rates.values()))
    rounding = rounding_term(old)
    items = [
        item(
            f"Sampai {format_date(until, 'id')} berlaku {old.short_name}: "
            f"{_per_hundred(rule.rate, 'id')} dari setiap 100 pekerja, dibulatkan {rounding.id}. "
            "Aturan ini sudah tidak berlaku.",
            f"Until {format_date(until, 'en')}, {old.short_name} applied: "
            f"{_per_hundred(rule.rate, 'en')} of every 100 workers, rounded {rounding.en}. "
            "These rules no longer apply.",
            rule.source,
        )
    ]
    now_rule = current.rates.get(rule.sector)
    if now_rule is not None:
        then = round_required(rule.rate * workers, old.rounding.mode, old.rounding.cutoff)
        now = round_required(
            now_rule.rate * workers, current.rounding.mode, current.rounding.cutoff
        )
        word = term(rule.sector.value)
        items.append(
            item(
                f"Contoh: {word.id} dengan {workers} pekerja: dulu {then} orang, "
                f"sekarang {now} orang.",
                f"Example: a {word.en} with {workers} workers: then {then}, now {now} required.",
                current.rounding.source,
            )
        )
    return items
