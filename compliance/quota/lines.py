"""Explanation lines: one sentence per step of a computation, in two languages, with its source.

`CATALOG` holds every line's stable `code` and its two templates (named placeholders). The engine
builds lines with `explain(code, source, **values)`; the rendered texts carry the numbers, and
`params` gives them language-neutral so a web page can render the line its own way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compliance.quota.citation import Citation, Source, source_label
from compliance.quota.wording import Lang, Param, canonical_param, format_param

CATALOG: dict[str, tuple[str, str]] = {
    # which rules
    "pack_in_force": (
        "Aturan yang dipakai: {pack} ({title}), berlaku sejak {since}.",
        "Rules applied: {pack} ({title}), in force since {since}.",
    ),
    "pack_history": (
        "Perbandingan sejarah: {pack} ({title}), berlaku {since} sampai {until}. "
        "Aturan ini sudah tidak berlaku; angkanya hanya untuk perbandingan.",
        "Historical comparison: {pack} ({title}), in force {since} to {until}. "
        "These rules no longer apply; the figures are for comparison only.",
    ),
    "overlay_in_force": (
        "Aturan daerah {region}: {pack} ({title}), berlaku sejak {since}. Aturan daerah "
        "menambah kewajiban daerah; kewajiban nasional tetap berlaku dan tidak dikurangi.",
        "Regional rules for {region}: {pack} ({title}), in force since {since}. Regional "
        "rules add regional duties; the national obligation still applies in full.",
    ),
    # rate
    "sector_rate": (
        "Sektor: {sector}. Paling sedikit {rate} dari jumlah pegawai atau pekerja wajib "
        "penyandang disabilitas.",
        "Sector: {sector}. At least {rate} of the employees or workers must be persons with "
        "disabilities.",
    ),
    "legal_form_rate": (
        "Bentuk badan {legal_form} dihitung seperti {sector}: paling sedikit {rate}.",
        "The legal form {legal_form} is counted like a {sector}: at least {rate}.",
    ),
    "sector_not_covered": (
        "Aturan ini tidak mengatur sektor {sector}; menurut aturan ini tidak ada kewajiban.",
        "These rules do not cover the sector {sector}; they set no obligation for it.",
    ),
    # denominator
    "denominator_counted": (
        "Jumlah pekerja yang dihitung (N) = {denominator}: {parts}.",
        "Workers counted (N) = {denominator}: {parts}.",
    ),
    "denominator_excluded": (
        "{count} {employment_type} tidak dihitung dalam N. {reason}",
        "{count} {employment_type} are not counted in N. {reason}",
    ),
    "denominator_toggled": (
        "{employment_type} {included} karena pengaturan organisasi '{toggle}'.",
        "{employment_type} {included} because of the organisation setting '{toggle}'.",
    ),
    "headcount_unknown": (
        "Jumlah {employment_types} belum diisi, jadi kuota belum dapat dihitung.",
        "The number of {employment_types} is missing, so the quota cannot be computed yet.",
    ),
    # numerator
    "numerator_counted": (
        "Pekerja penyandang disabilitas yang dihitung = {counted}: {definition}.",
        "Workers with disabilities counted = {counted}: {definition}.",
    ),
    "numerator_once": (
        "Setiap orang dihitung satu kali, berapa pun jumlah ragam disabilitasnya.",
        "Each person counts once, whatever the number of disability categories.",
    ),
    "numerator_weighted": (
        "{label}: {count} orang × {weight} = {total}.",
        "{label}: {count} persons × {weight} = {total}.",
    ),
    "numerator_evidence": (
        "Bukti yang diterima: {evidence}.",
        "Evidence accepted: {evidence}.",
    ),
    "numerator_excluded_type": (
        "{count} pekerja penyandang disabilitas berstatus {employment_type} tidak dihitung, "
        "karena jenis pekerja itu tidak masuk N.",
        "{count} workers with disabilities employed as {employment_type} are not counted, "
        "because that type of worker is not in N.",
    ),
    "numerator_excluded_evidence": (
        "{count} orang tidak dihitung karena buktinya ({evidence}) tidak diterima aturan ini.",
        "{count} persons are not counted because their evidence ({evidence}) is not accepted.",
    ),
    # threshold and required
    "threshold_none": (
        "Tidak ada batas minimum jumlah pekerja: setiap pemberi kerja terkena kewajiban ini.",
        "There is no minimum size: every employer has this obligation.",
    ),
    "threshold_met": (
        "Batas minimum {minimum} pekerja: N = {denominator} mencapai batas, kewajiban berlaku.",
        "Minimum size {minimum} workers: N = {denominator} reaches it, the obligation applies.",
    ),
    "threshold_not_met": (
        "Batas minimum {minimum} pekerja: N = {denominator} di bawah batas, jadi kewajiban "
        "ini tidak berlaku bagi pemberi kerja ini.",
        "Minimum size {minimum} workers: N = {denominator} is below it, so this obligation "
        "does not apply to this employer.",
    ),
    "required_exact": ("{rate} × {denominator} = {exact}.", "{rate} × {denominator} = {exact}."),
    "required_rounded": (
        "{exact} dibulatkan {rounding}: wajib {required} orang.",
        "{exact} rounded {rounding}: {required} required.",
    ),
    "minimum_applied": (
        "{label}: paling sedikit {required} orang.",
        "{label}: at least {required} persons.",
    ),
    "gap": (
        "Kekurangan = {required} − {counted} = {gap} orang.",
        "Gap = {required} − {counted} = {gap}.",
    ),
    "no_gap": (
        "Tidak ada kekurangan: {counted} dihitung, {required} wajib.",
        "No gap: {counted} counted, {required} required.",
    ),
    "status": ("Status: {status}.", "Status: {status}."),
    # overlays
    "overlay_counting": (
        "N dan jumlah pekerja penyandang disabilitas dihitung dengan aturan nasional.",
        "N and the workers with disabilities are counted with the national rules.",
    ),
    "overlay_duty": ("Kewajiban daerah: {duty}", "Regional duty: {duty}"),
    "overlay_sanction": ("Risiko sanksi: {sanction}", "Sanction risk: {sanction}"),
    # warnings
    "unverified_evidence": (
        "{count} pekerja penyandang disabilitas dihitung dengan bukti yang belum terverifikasi; "
        "lengkapi buktinya sebelum pemeriksaan.",
        "{count} workers with disabilities are counted on unverified evidence; complete the "
        "evidence before an inspection.",
    ),
    "stale_pack": (
        "Aturan {pack} terakhir diperiksa terhadap sumbernya pada {verified}, lebih dari {days} "
        "hari lalu: periksa apakah masih berlaku.",
        "The rules {pack} were last checked against their sources on {verified}, more than "
        "{days} days ago: check they are still current.",
    ),
    "sector_needs_verification": (
        "Sektor perlu diverifikasi: {legal_form} dihitung sebagai {sector} ({rate}).",
        "Verify the sector: {legal_form} is counted as a {sector} ({rate}).",
    ),
    # periods
    "period_average": (
        "Hasil periode = rata-rata {months} hasil bulanan: wajib rata-rata {required}, "
        "dihitung rata-rata {counted}.",
        "Period result = average of {months} monthly results: {required} required and "
        "{counted} counted on average.",
    ),
    "period_average_denominator": (
        "Kuota periode dihitung dari rata-rata N selama {months} bulan = {denominator}.",
        "The period quota is computed on the average N over {months} months = {denominator}.",
    ),
    "period_sum": (
        "Hasil periode = jumlah {months} hasil bulanan: wajib {required}, dihitung {counted}.",
        "Period result = sum of {months} monthly results: {required} required, {counted} counted.",
    ),
    "period_incomplete": (
        "{count} dari {months} bulan datanya belum lengkap, jadi hasil periode belum dapat "
        "dihitung.",
        "{count} of {months} months have incomplete data, so the period result cannot be computed.",
    ),
    "period_spans_packs": (
        "Periode ini mencakup lebih dari satu aturan ({packs}); tiap bulan memakai aturan yang "
        "berlaku pada bulan itu.",
        "This period spans several rule packs ({packs}); each month uses the rules in force then.",
    ),
}


@dataclass(frozen=True, slots=True)
class ExplanationLine:
    """One explained step: a stable `code`, its source, and the values it states.

    `text_id` / `text_en` are the catalog templates filled with the values, formatted for each
    language. They are rendered on access: an evaluation builds dozens of lines and most callers
    (a dashboard, a period summary) read only a few of them.
    """

    code: str
    citation: Citation | None
    is_product_default: bool
    values: tuple[tuple[str, Param], ...] = ()

    def text(self, lang: Lang) -> str:
        template = CATALOG[self.code][0 if lang == "id" else 1]
        return template.format_map({key: format_param(value, lang) for key, value in self.values})

    @property
    def text_id(self) -> str:
        return self.text("id")

    @property
    def text_en(self) -> str:
        return self.text("en")

    @property
    def params(self) -> dict[str, str]:
        """The values in a language-neutral form: codes, ISO dates, plain decimals."""
        return {key: canonical_param(value) for key, value in self.values}

    def source(self, lang: Lang) -> str:
        """The citation label, or "product default, not in the law" (with its basis)."""
        return source_label(self.citation, self.is_product_default, lang)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "text_id": self.text_id,
            "text_en": self.text_en,
            "params": self.params,
            "citation": self.citation.to_dict() if self.citation else None,
            "is_product_default": self.is_product_default,
            "source_id": self.source("id"),
            "source_en": self.source("en"),
        }


def explain(code: str, source: Source | None, **values: Param) -> ExplanationLine:
    if code not in CATALOG:
        raise KeyError(f"no explanation template {code!r}")
    return ExplanationLine(
        code=code,
        citation=source.citation if source else None,
        # A step with no source in a pack is the product's own behaviour, hence a product default.
        is_product_default=source.is_product_default if source else True,
        values=tuple(values.items()),
    )
