"""Every PDF draws any name exactly (issue 17): the receipt, the evidence pack's summary and
the nota letters, read back with pypdf through their ToUnicode maps (what a reader's search and
copy use). Arabic comes back in visual order, word by word (`tests.support.pdf`); each word's
letters are compared after NFKC, which folds any presentation form back to its letter.

Page 1 of each is also drawn into artifacts/pdf/ for a person to look at.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pytest

from compliance.models.letters import LetterKind
from compliance.services.pdf import REPLACEMENT, drawable, new_document
from tests.support.documents import file_and_inspect, letters_of, pack_files, receipt_of
from tests.support.pdf import arabic_words_found, has_pdftoppm, pdf_text, render_first_page

NAMES = {
    "vietnamese": "Nguyễn Văn Đức",
    "arabic": "محمد عبد الله",
    "chinese": "王小明",
    "latin": "Zoë Ñúñez-Łukasz",
}
MINUS = "−2"  # U+2212, as the engine and the reasons write a negative number


def _found(name: str, text: str) -> bool:
    if any(unicodedata.bidirectional(c) == "AL" for c in name):
        return arabic_words_found(name, text)
    return unicodedata.normalize("NFKC", name) in text


@pytest.fixture(params=list(NAMES), ids=list(NAMES))
def documents(request, factory) -> dict[str, bytes]:
    """The four PDFs of one organisation named `name`, whose inspector has the same name."""
    name = NAMES[request.param]
    filed = file_and_inspect(
        factory,
        name,
        reason=f"Koreksi {name}: selisih {MINUS} orang",
        finding=f"{name}: kurang {MINUS} orang",
        inspector_name=name,
    )
    letters = letters_of(factory, filed.case_id)
    return {
        "name": name.encode(),
        "receipt": receipt_of(factory, filed.declaration_id),
        "summary": pack_files(factory, filed)["ringkasan.pdf"],
        "nota-1": letters[LetterKind.NOTA_1].content,
        "nota-2": letters[LetterKind.NOTA_2].content,
    }


def test_every_pdf_gives_back_the_exact_name_and_the_minus_sign(documents):
    name = documents.pop("name").decode()
    for kind, data in documents.items():
        text = pdf_text(data)
        assert _found(name, text), (kind, name, text[:400])
        assert REPLACEMENT not in text, kind
        if kind != "summary":  # the reason (receipt) and the finding (letters) carry it
            assert MINUS in text, (kind, text)
    # The summary's explanation: "Kekurangan = 3 − 0 = 3 orang", the minus the issue lost.
    assert "−" in pdf_text(documents["summary"])


def test_controls_are_removed_and_a_long_name_wraps_on_the_page():
    long_name = "Ş" * 500
    hostile = "PT\x00 Baik\x07\x1b[31m\u202eanaM\u202c\x85\tJaya"
    assert drawable(hostile) == "PT Baik[31manaM Jaya"
    assert drawable("\U000e0001") == ""  # an invisible tag no font has: dropped
    assert drawable("\U0001d11e") == REPLACEMENT  # a musical symbol no font has: shown missing
    pdf = new_document("Uji", datetime(2026, 1, 1, tzinfo=UTC))
    pdf.row("Nama (Name)", long_name)
    pdf.row("Nama (Name)", hostile)
    text = pdf_text(bytes(pdf.output()))
    assert text.replace("\n", "").count("Ş") == 500
    assert "PT Baik[31manaM Jaya" in text


def test_a_long_finding_with_control_characters_still_makes_a_letter(factory):
    # Control characters that survive to a letter (PostgreSQL cannot store NUL in text at all).
    finding = "Temuan" + "X" * 500 + "\x07\x1b"
    filed = file_and_inspect(factory, "PT Panjang", finding=finding, escalate=False)
    letter = letters_of(factory, filed.case_id)[LetterKind.NOTA_1]
    assert "X" * 100 in pdf_text(letter.content).replace("\n", "")


def test_page_one_of_each_pdf_is_drawn_for_a_person(factory):
    if not has_pdftoppm():
        pytest.skip("pdftoppm is missing: install poppler-utils (scripts/test does)")
    filed = file_and_inspect(factory, "PT Nguyễn Văn Đức & 王小明 Sejahtera")
    letters = letters_of(factory, filed.case_id)
    drawn = {
        "receipt": receipt_of(factory, filed.declaration_id),
        "evidence-summary": pack_files(factory, filed)["ringkasan.pdf"],
        "nota-1": letters[LetterKind.NOTA_1].content,
        "nota-2": letters[LetterKind.NOTA_2].content,
    }
    for name, data in drawn.items():
        png = render_first_page(data, name)
        assert png.stat().st_size > 10_000, name  # a page with text on it, not a blank one
