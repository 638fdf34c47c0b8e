"""Benchmark of drawing a PDF document: fonts read when needed, beside all fonts read up front.

Run: `.venv/bin/python bench/pdf_documents.py` (`--runs 7`). No database: it times
`services.pdf` alone, which every receipt, evidence-pack summary and nota letter goes through.

For three texts (plain Latin, Latin with Vietnamese marks and a minus sign, Arabic and
Chinese names) it prints the median time to open a document and draw a letter-sized page of
that text, and the size of the PDF, twice: as `Document` does it (Noto Sans regular and bold
read with every document, any other face the first time a text needs it) and the baseline,
every face but the CJK one read when the document opens, as before. The ratio is against the
baseline of the same run; no assertion on time (machines are noisy).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from compliance.services.pdf import FACES, FALLBACKS, Document, new_document

TEXTS = {
    "plain Latin": "PT Sinar Jaya Abadi, Jl. Merdeka No. 1, Tangerang. Kekurangan: 3 orang.",
    "Vietnamese, minus": "PT Nguyễn Văn Đức Sejahtera. Selisih −2 orang, ≥ 1 %.",
    "Arabic, Chinese": "محمد عبد الله dan 王小明 bekerja di PT Nusantara.",
}
LINES = 60  # about a page of a letter


class EveryFontUpFront(Document):
    """The baseline, as documents were drawn before: every face read when the document opens
    but the 4 MB CJK font, read the first time a text needs it."""

    def __init__(self) -> None:
        super().__init__()
        for face in FACES:
            self._read(face.family, face.style)
        self._fallbacks = FALLBACKS
        self.set_fallback_fonts(self._fallbacks, exact_match=False)


def draw(make: Callable[[], Document], text: str) -> bytes:
    pdf = make()
    pdf.add_page()
    pdf.heading("NOTA PEMERIKSAAN I")
    for _ in range(LINES):
        pdf.paragraph(text, size=10)
    return bytes(pdf.output())


def median_ms(make: Callable[[], Document], text: str, runs: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(draw(make, text))
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    new_document("warm-up", datetime(2026, 1, 1, tzinfo=UTC))  # the per-process font coverage
    print(f"{'text':20s} {'as needed':>12s} {'all up front':>14s} {'ratio':>7s} {'size':>9s}")
    for name, text in TEXTS.items():
        lazy, size = median_ms(Document, text, args.runs)
        eager, _ = median_ms(EveryFontUpFront, text, args.runs)
        print(
            f"{name:20s} {lazy:9.0f} ms {eager:11.0f} ms {lazy / eager:7.2f} {size / 1024:6.0f} KB"
        )


if __name__ == "__main__":
    main()
