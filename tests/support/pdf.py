"""Reading our PDFs back as a person's PDF reader would: the text, and page 1 as a picture.

`pdf_text` extracts with pypdf through each font's ToUnicode map, the same map a reader's
search and copy use, so finding a name here means a person can find and copy it there.
Right-to-left runs come out in visual order (pypdf reads glyphs left to right): Arabic words
appear last word first, each word's letters in logical order. `arabic_words_found` checks that.

`render_first_page` draws page 1 with poppler's pdftoppm into `PDF_ARTIFACTS_DIR` (default
`artifacts/pdf/`, git-ignored; CI keeps it as an artefact, the README names it) for a reviewer.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """Every page's text, NFKC-normalised (pypdf may return Arabic presentation forms)."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFKC", text)


def arabic_words_found(name: str, text: str) -> bool:
    """An Arabic name's words, right to left, as they are drawn: visual order on one line."""
    words = unicodedata.normalize("NFKC", name).split()
    return " ".join(reversed(words)) in text


def artifacts_dir() -> Path:
    folder = Path(os.environ.get("PDF_ARTIFACTS_DIR", "artifacts/pdf"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def has_pdftoppm() -> bool:
    return shutil.which("pdftoppm") is not None


def render_first_page(data: bytes, name: str) -> Path:
    """Page 1 as `<name>.png` at 80 dpi; the PDF itself is kept beside it."""
    folder = artifacts_dir()
    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, folder / name],
        check=True,
        timeout=60,
    )
    return folder / f"{name}.png"
