"""Every PDF the product writes starts here: the fonts, the text they can draw, the page.

Receipts, evidence-pack summaries and nota letters are what leaves the system for a file at
Disnaker or a court, so a name must come out exactly as typed: "Nguyễn Văn Đức", "محمد عبد الله",
"王小明", and "−3" with its minus sign (issue 17: the core Helvetica font folded them to "?").

**Why fpdf2, not WeasyPrint.** fpdf2 is already a dependency and pure Python. With HarfBuzz
(`uharfbuzz`, a PyPI wheel, no system library) it shapes Arabic joining and stacked Vietnamese
marks, orders right-to-left runs, picks a fallback font per character, embeds only the glyphs a
document uses (a receipt stays under 100 KB), and writes the same bytes for the same input, so a
receipt downloaded twice has the same hash. WeasyPrint would share the web's CSS, but it needs
Pango and GLib on every machine and is far slower, for documents that are forms and letters
drawn in a few dozen lines.

**Fonts** (Debian packages that `scripts/setup` installs; licences in /usr/share/doc/<package>):

- Noto Sans (`fonts-noto-core`): the face of every document, Latin with every diacritic,
  Greek and Cyrillic; Noto Sans Mono for hashes.
- Noto Sans Arabic (`fonts-noto-core`): Arabic script.
- DejaVu Sans (`fonts-dejavu-core`): what Noto Sans's 2020 release lacks (the minus sign −,
  ≤, ≥, ✓) and scripts such as Hebrew and Armenian.
- Droid Sans Fallback (`fonts-droid-fallback`): Chinese, Japanese and Korean.

Reading a font costs 20–300 ms, and fpdf2 cannot share a read font between documents (writing
one subsets it in place), so a document starts with Noto Sans regular and bold only and reads
any other face the first time it is asked for (`set_font`) or a text needs it (a fallback
script, CJK): a plain Latin receipt reads two fonts, not nine.

A character none of them has is drawn as "�" rather than dropped, and a document never silently
changes a name. Control characters (C0 and C1 but newline and tab) and bidirectional overrides,
which could make a name display as another, are removed before drawing (`drawable`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import segno
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

FONT_ROOT = Path("/usr/share/fonts/truetype")
FAMILY = "NotoSans"
MONO = "NotoSansMono"
CJK = "DroidSansFallback"
REPLACEMENT = "\ufffd"
#: Explicit bidirectional embeddings, overrides and isolates: a name holding them could be
#: drawn as a different name ("Trojan source"); the shaping engine orders text without them.
BIDI_CONTROLS = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))


@dataclass(frozen=True)
class Face:
    family: str
    style: str
    path: str  # under FONT_ROOT
    package: str


FACES = (
    Face(FAMILY, "", "noto/NotoSans-Regular.ttf", "fonts-noto-core"),
    Face(FAMILY, "B", "noto/NotoSans-Bold.ttf", "fonts-noto-core"),
    Face(FAMILY, "I", "noto/NotoSans-Italic.ttf", "fonts-noto-core"),
    Face(MONO, "", "noto/NotoSansMono-Regular.ttf", "fonts-noto-core"),
    Face("NotoSansArabic", "", "noto/NotoSansArabic-Regular.ttf", "fonts-noto-core"),
    Face("NotoSansArabic", "B", "noto/NotoSansArabic-Bold.ttf", "fonts-noto-core"),
    Face("DejaVuSans", "", "dejavu/DejaVuSans.ttf", "fonts-dejavu-core"),
    Face("DejaVuSans", "B", "dejavu/DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
)
CJK_FACE = Face(CJK, "", "droid/DroidSansFallbackFull.ttf", "fonts-droid-fallback")
#: Asked in this order for a character the current font lacks.
FALLBACKS = ("NotoSansArabic", "DejaVuSans")
#: Read with every document; every other face when first needed.
ALWAYS = ((FAMILY, ""), (FAMILY, "B"))


class FontsMissing(RuntimeError):
    """The machine lacks a font package: a set-up error, never a user's."""


def _path(face: Face) -> Path:
    path = FONT_ROOT / face.path
    if not path.is_file():
        raise FontsMissing(f"{path} is missing: install {face.package} (scripts/setup does)")
    return path


def _code_points(face: Face) -> set[int]:
    with TTFont(_path(face), lazy=True) as font:
        return set(font.getBestCmap())


@dataclass(frozen=True)
class Coverage:
    """Which code points which fonts add, read once per process."""

    #: What Noto Sans draws: most documents need nothing else.
    noto: frozenset[int]
    #: What each fallback family (Arabic, DejaVu), then the CJK font, adds to it.
    added: dict[str, frozenset[int]]

    @property
    def all(self) -> frozenset[int]:
        return self.noto.union(*self.added.values())


@cache
def _coverage() -> Coverage:
    noto = frozenset(_code_points(FACES[0]))
    added: dict[str, frozenset[int]] = {}
    seen = set(noto)
    for family in (*FALLBACKS, CJK):
        points: set[int] = set()
        for face in (*FACES, CJK_FACE):
            if face.family == family:
                points |= _code_points(face)
        added[family] = frozenset(points - seen)
        seen |= points
    return Coverage(noto, added)


def _char(char: str, covered: frozenset[int]) -> str:
    code = ord(char)
    if char in "\n\t":
        return " " if char == "\t" else char
    if code < 0x20 or 0x7F <= code <= 0x9F or code in BIDI_CONTROLS:
        return ""
    if code in covered:
        return char
    # An invisible format character no font has (a joiner, a word joiner) changes nothing a
    # reader sees; anything else is shown as missing rather than dropped.
    return "" if unicodedata.category(char) == "Cf" else REPLACEMENT


def needs_shaping(char: str) -> bool:
    """Whether text holding `char` must go through HarfBuzz: right-to-left letters (Arabic
    joins and reorders), combining marks (Vietnamese stacked over a base, Indic scripts) and
    joiners. Precomposed Latin (NFC), CJK and symbols are drawn glyph by glyph."""
    return (
        unicodedata.bidirectional(char) in ("R", "AL", "AN")
        or unicodedata.category(char) in ("Mn", "Mc", "Me")
        or char in "\u200c\u200d"
    )


def drawable(text: str) -> str:
    """`text` as the fonts can draw it: controls removed, unknown characters shown as "�"."""
    if all(0x20 <= ord(c) < 0x7F for c in text):
        return text
    covered = _coverage().all
    return "".join(_char(c, covered) for c in unicodedata.normalize("NFC", text))


class Document(FPDF):
    """An A4 page with our fonts and the few drawing steps every document shares."""

    footer_text = ""

    def __init__(self) -> None:
        super().__init__(format="A4")
        self._faces = {(face.family.lower(), face.style): face for face in (*FACES, CJK_FACE)}
        self._fallbacks: tuple[str, ...] = ()
        for family, style in ALWAYS:
            self._read(family, style)

    def _read(self, family: str, style: str) -> None:
        face = self._faces.get((family.lower(), style))
        if face is not None and f"{family.lower()}{style}" not in self.fonts:
            self.add_font(face.family, face.style, str(_path(face)))

    def set_font(self, family: str | None = None, style: Any = "", size: float = 0) -> None:
        """fpdf2's `set_font`, reading one of our faces the first time it is asked for."""
        if family is not None and isinstance(style, str):
            self._read(family, "".join(c for c in "BI" if c in style.upper()))
        super().set_font(family, style, size)

    def _fall_back_to(self, family: str) -> None:
        for face in (*FACES, CJK_FACE):
            if face.family == family:
                self._read(face.family, face.style)
        order = (*FALLBACKS, CJK)
        self._fallbacks = tuple(f for f in order if f in {*self._fallbacks, family})
        self.set_fallback_fonts(self._fallbacks, exact_match=False)

    def normalize_text(self, text: str) -> str:
        """fpdf2 passes every text here before measuring or drawing it: clean it, read the
        fallback fonts the first time a character needs them, and shape it with HarfBuzz when
        it needs shaping. Shaping every text would cost a second per page of plain Latin."""
        text = drawable(text)
        if not text.isascii():
            points = {ord(c) for c in text}
            for family, added in _coverage().added.items():
                if family not in self._fallbacks and not points.isdisjoint(added):
                    self._fall_back_to(family)
        shaped = any(map(needs_shaping, text))
        if shaped != bool(self.text_shaping):
            self.set_text_shaping(shaped)
        return super().normalize_text(text)

    def footer(self) -> None:
        if not self.footer_text:
            return
        self.set_y(-12)
        self.set_font(FAMILY, "", 7)
        self.cell(0, 5, f"{self.footer_text} · Halaman {self.page_no()}", align="R")

    # --- drawing steps ---------------------------------------------------------------------

    def heading(self, text: str, size: float = 14) -> None:
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def paragraph(self, text: str, size: float = 9, style: str = "", *, align: str = "L") -> None:
        self.set_font(FAMILY, style, size)
        self.multi_cell(0, size * 0.55, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def mono(self, text: str, size: float = 9) -> None:
        """A hash or a code: fixed-width so each character is easy to compare."""
        self.set_font(MONO, "", size)
        self.multi_cell(0, size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _height(self, width: float, text: str, style: str, size: float) -> float:
        self.set_font(FAMILY, style, size)
        height = self.multi_cell(
            width, size * 0.62, text, dry_run=True, output=MethodReturnValue.HEIGHT
        )
        assert isinstance(height, int | float)
        return float(height)

    def row(self, label: str, value: str, *, label_width: float = 70, size: float = 9) -> None:
        """A label beside its value. A row that does not fit starts a new page whole: split by
        a page break, the label's bottom on the old page would push the next row off the new."""
        value_width = self.epw - label_width
        height = max(
            self._height(label_width, label, "B", size), self._height(value_width, value, "", size)
        )
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()
        top = self.get_y()
        self.set_font(FAMILY, "B", size)
        self.multi_cell(
            label_width, size * 0.62, label, align="L", new_x=XPos.RIGHT, new_y=YPos.TOP
        )
        self.set_font(FAMILY, "", size)
        self.multi_cell(
            value_width, size * 0.62, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
        )
        self.set_y(max(self.get_y(), top + height))

    def qr_code(self, data: str, x: float, y: float, size: float) -> None:
        """A QR code drawn as vector squares (crisp at any zoom, no image library), with the
        quiet zone around it that scanners need."""
        code = segno.make(data, error="m", micro=False)
        matrix = [list(row) for row in code.matrix]
        module = size / (len(matrix) + 8)
        self.set_fill_color(0, 0, 0)
        for r, line in enumerate(matrix):
            c = 0
            while c < len(line):
                if not line[c]:
                    c += 1
                    continue
                start = c
                while c < len(line) and line[c]:
                    c += 1
                left, top = x + (start + 4) * module, y + (r + 4) * module
                self.rect(left, top, (c - start) * module, module, style="F")


def new_document(
    title: str, created_at: datetime, *, footer: str = "", author: str = "Kuota Inklusi"
) -> Document:
    """A document with its metadata set and its first page open. `created_at` is a fixed
    instant (a submission, an issue), so the same document always has the same bytes."""
    pdf = Document()
    pdf.footer_text = drawable(footer)
    pdf.set_creation_date(created_at)
    pdf.set_title(drawable(title))
    pdf.set_author(author)
    pdf.set_creator("Kuota Inklusi")
    pdf.set_lang("id")
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    return pdf
