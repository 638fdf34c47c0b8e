"""A nota pemeriksaan I or II as a PDF, in the usual form of a labour inspectorate letter.

Bahasa Indonesia only, whatever the inspector's language: it is an official letter of an
Indonesian office to an Indonesian employer. The form is that of a regional office's official
letter (tata naskah dinas): kop surat with the office's
name, address and telephone; number, nature, attachments and subject beside the place and
date; the addressee; the legal basis with citations; the findings; what must be done by when
(the deadline in working days, in figures and words, and its date); what follows if it is not
done; the signature block; and a line for checking the letter's authenticity.

Everything drawn comes from `LetterContent`, gathered by `services.inspections.letters`, so
this module decides the look and nothing else; the same content gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date
from fpdf.enums import XPos, YPos

from compliance.services.pdf import FAMILY, Document, new_document

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_ONES = (
    "",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)


def in_words(number: int) -> str:
    """An Indonesian number in words, as letters spell deadlines: 30 → "tiga puluh"."""
    if number < 12:
        return _ONES[number] if number else "nol"
    if number < 20:
        return f"{_ONES[number - 10]} belas"
    if number < 100:
        tens, ones = divmod(number, 10)
        return f"{_ONES[tens]} puluh" + (f" {_ONES[ones]}" if ones else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        head = "seratus" if hundreds == 1 else f"{_ONES[hundreds]} ratus"
        return head + (f" {in_words(rest)}" if rest else "")
    return str(number)


def long_date(day: date) -> str:
    """ "4 Desember 2026": the date as an Indonesian letter writes it."""
    return format_date(day, "d MMMM y", locale="id")


@dataclass(frozen=True)
class LetterContent:
    """What one nota says; `services.inspections.letters` gathers it from the case."""

    is_second: bool
    number: str
    issued_on: date
    created_at: datetime
    province_name: str
    office_name: str
    office_unit: str
    office_address: str
    office_contact: str
    city: str
    addressee: str
    addressee_address: str
    addressee_place: str
    period: str
    months: str
    submitted: str
    receipt_number: str
    legal_basis: tuple[str, ...]
    #: (required people a month, counted on average, people short) in words and figures.
    required: str
    counted: str
    gap: str
    gap_people: int
    finding: str
    #: Nota II: the nota I it follows ("Nomor ... tanggal ..."), and how its deadline passed.
    previous: str
    deadline_on: date
    working_days: int
    sanctions: tuple[str, ...]
    inspector: str
    nip: str
    verify_url: str

    @property
    def name(self) -> str:
        return "Nota Pemeriksaan II" if self.is_second else "Nota Pemeriksaan I"

    @property
    def title(self) -> str:
        return self.name.upper()


def _letterhead(pdf: Document, c: LetterContent) -> None:
    pdf.set_font(FAMILY, "B", 11)
    for line in (f"PEMERINTAH PROVINSI {c.province_name.upper()}", c.office_name.upper()):
        pdf.multi_cell(0, 5.5, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 9)
    for line in (c.office_unit, c.office_address, c.office_contact):
        if line:
            pdf.multi_cell(0, 4.6, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = pdf.get_y() + 1.5
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, y + 1.1, pdf.w - pdf.r_margin, y + 1.1)
    pdf.set_y(y + 4)


def _heading_block(pdf: Document, c: LetterContent) -> None:
    top = pdf.get_y()
    pdf.set_font(FAMILY, "", 10)
    pdf.set_x(pdf.w - pdf.r_margin - 62)
    pdf.multi_cell(62, 5, f"{c.city}, {long_date(c.issued_on)}", align="R")
    pdf.set_y(top)
    rows = (
        ("Nomor", c.number),
        ("Sifat", "Penting"),
        ("Lampiran", "-"),
        ("Perihal", f"{c.name}: pemenuhan kuota pekerja penyandang disabilitas"),
    )
    for label, value in rows:
        pdf.set_font(FAMILY, "", 10)
        pdf.cell(22, 5, label)
        pdf.cell(4, 5, ":")
        pdf.multi_cell(pdf.epw - 90, 5, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.paragraph("Kepada Yth.", size=10)
    pdf.paragraph(f"Pimpinan {c.addressee}", size=10, style="B")
    for line in (c.addressee_address, f"di {c.addressee_place}"):
        if line:
            pdf.paragraph(line, size=10)
    pdf.ln(4)
    pdf.set_font(FAMILY, "B", 12)
    pdf.multi_cell(0, 6, c.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _numbered(pdf: Document, items: tuple[str, ...] | list[str]) -> None:
    for number, item in enumerate(items, start=1):
        pdf.set_font(FAMILY, "", 10)
        pdf.set_x(pdf.l_margin + 5)
        pdf.cell(7, 5, f"{number}.")
        pdf.multi_cell(0, 5, item, align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _section(pdf: Document, title: str) -> None:
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", 10)
    pdf.multi_cell(0, 5.5, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _findings(pdf: Document, c: LetterContent) -> None:
    _section(pdf, "B. Hasil pemeriksaan")
    _numbered(
        pdf,
        [
            f"Periode laporan: {c.period} ({c.months}); disampaikan {c.submitted}, "
            f"tanda terima Nomor {c.receipt_number}.",
            f"Jumlah pekerja penyandang disabilitas yang wajib dipekerjakan: {c.required}.",
            f"Jumlah yang dipekerjakan dan dihitung: {c.counted}.",
            f"Kekurangan: {c.gap}.",
            f"Catatan pengawas: {c.finding}",
            *([c.previous] if c.previous else []),
        ],
    )


def _orders(pdf: Document, c: LetterContent) -> None:
    _section(pdf, "C. Yang wajib dilaksanakan")
    days = f"{c.working_days} ({in_words(c.working_days)}) hari kerja"
    _numbered(
        pdf,
        [
            f"Mempekerjakan paling sedikit {c.gap_people} ({in_words(c.gap_people)}) orang "
            "penyandang disabilitas tambahan sehingga kuota terpenuhi, atau menyampaikan bukti "
            "bahwa kuota telah terpenuhi.",
            "Memperbarui data pekerja dan menyampaikan laporan koreksi melalui Kuota Inklusi.",
            f"Melaksanakan hal tersebut dalam waktu {days} sejak tanggal nota ini, yaitu paling "
            f"lambat tanggal {long_date(c.deadline_on)}.",
        ],
    )
    _section(pdf, "D. Tindak lanjut")
    if c.is_second:
        then = (
            "Apabila nota pemeriksaan II ini tidak dilaksanakan sampai batas waktu tersebut, "
            "pengawas ketenagakerjaan meneruskan perkara ini kepada Penyidik Pegawai Negeri "
            "Sipil (PPNS) Ketenagakerjaan untuk penyidikan dan pengenaan sanksi sesuai "
            "ketentuan peraturan perundang-undangan."
        )
    else:
        then = (
            "Apabila nota pemeriksaan I ini tidak dilaksanakan sampai batas waktu tersebut, "
            "pengawas ketenagakerjaan menerbitkan nota pemeriksaan II, dan selanjutnya dapat "
            "meneruskan perkara kepada Penyidik Pegawai Negeri Sipil (PPNS) Ketenagakerjaan."
        )
    _numbered(
        pdf,
        [
            then,
            *c.sanctions,
            "Tanggapan dan dokumen pendukung dapat disampaikan melalui halaman kasus di Kuota "
            "Inklusi sebelum batas waktu.",
        ],
    )


def _signature(pdf: Document, c: LetterContent) -> None:
    pdf.ln(3)
    # The closing sentence and the signature stay together: a signature alone on a page is
    # a page anybody could have put behind another letter.
    if pdf.get_y() + 62 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.paragraph("Demikian nota pemeriksaan ini disampaikan untuk dilaksanakan.", size=10)
    pdf.ln(5)
    top, left = pdf.get_y(), pdf.w - pdf.r_margin - 75
    pdf.qr_code(c.verify_url, pdf.l_margin - 2, top - 2, 30)
    pdf.set_xy(pdf.l_margin + 30, top + 6)
    pdf.set_font(FAMILY, "", 7)
    pdf.multi_cell(
        left - pdf.l_margin - 34,
        3.4,
        "Periksa keaslian surat ini: pindai kode QR, atau buka "
        f"{c.verify_url.split('?', 1)[0]} dan masukkan nomor surat serta berkas PDF-nya.",
        align="L",
    )
    pdf.set_xy(left, top)
    pdf.set_font(FAMILY, "", 10)
    pdf.multi_cell(75, 5, "Pengawas Ketenagakerjaan,", align="C")
    pdf.set_xy(left, top + 25)
    pdf.set_font(FAMILY, "BU", 10)
    pdf.multi_cell(75, 5, c.inspector, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    if c.nip:
        pdf.set_font(FAMILY, "", 10)
        pdf.multi_cell(75, 5, f"NIP. {c.nip}", align="C")


def letter_pdf(c: LetterContent) -> bytes:
    pdf = new_document(f"{c.title} {c.number}", c.created_at, footer=f"{c.name} Nomor {c.number}")
    pdf.set_margins(25, 15, 20)
    pdf.set_y(15)
    _letterhead(pdf, c)
    _heading_block(pdf, c)
    pdf.paragraph(
        "Berdasarkan hasil pemeriksaan atas laporan pemenuhan kuota pekerja penyandang "
        f"disabilitas {c.addressee} untuk periode {c.period}, dengan ini disampaikan hal-hal "
        "sebagai berikut:",
        size=10,
        align="J",
    )
    _section(pdf, "A. Dasar hukum")
    _numbered(pdf, c.legal_basis)
    _findings(pdf, c)
    _orders(pdf, c)
    _signature(pdf, c)
    return bytes(pdf.output())
