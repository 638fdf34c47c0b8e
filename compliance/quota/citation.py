"""Where a rule comes from: a citation of a legal provision, or the product-default marker.

Every number the engine prints is backed by a `Source`. A source is either the text of a law
(`is_product_default` false) or a product default where the law is silent (LAW.md's **D** rows),
which the user must see labelled "product default, not in the law". A product default may still
name the provision it interprets (for example `ceil` reads "paling sedikit" in Pasal 53).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

PRODUCT_DEFAULT_ID = "default produk, tidak diatur dalam undang-undang"
PRODUCT_DEFAULT_EN = "product default, not in the law"


@dataclass(frozen=True, slots=True)
class Citation:
    """A legal provision: law, article (Pasal), paragraph (ayat), point (angka/huruf)."""

    law: str
    article: str | None = None
    paragraph: str | None = None
    point: str | None = None
    is_elucidation: bool = False  # cites the official elucidation (Penjelasan) of the article
    url: str | None = None

    @property
    def label_id(self) -> str:
        parts = [self.law]
        if self.is_elucidation:
            parts.append("Penjelasan")
        if self.article:
            parts.append(f"Pasal {self.article}")
        if self.paragraph:
            parts.append(f"ayat ({self.paragraph})")
        if self.point:
            parts.append(f"angka {self.point}")
        return " ".join(parts)

    @property
    def label_en(self) -> str:
        label = self.law
        if self.is_elucidation:
            label += " Elucidation of"
        if self.article:
            label += f" Article {self.article}"
            if self.paragraph:
                label += f"({self.paragraph})"
        elif self.paragraph:
            label += f" paragraph ({self.paragraph})"
        if self.point:
            label += f" point {self.point}"
        return label

    def to_dict(self) -> dict[str, Any]:
        return {
            "law": self.law,
            "article": self.article,
            "paragraph": self.paragraph,
            "point": self.point,
            "is_elucidation": self.is_elucidation,
            "url": self.url,
            "label_id": self.label_id,
            "label_en": self.label_en,
        }


@dataclass(frozen=True, slots=True)
class Source:
    """One named source in a rule pack, referenced by each parameter that rests on it."""

    key: str
    is_product_default: bool
    citation: Citation | None
    last_verified: date
    note_id: str | None = None
    note_en: str | None = None

    @property
    def label_id(self) -> str:
        return source_label(self.citation, self.is_product_default, "id")

    @property
    def label_en(self) -> str:
        return source_label(self.citation, self.is_product_default, "en")


def source_label(citation: Citation | None, is_product_default: bool, lang: str) -> str:
    """The words shown beside a line: the provision, or the product-default marker (and basis)."""
    cited = None
    if citation is not None:
        cited = citation.label_id if lang == "id" else citation.label_en
    if not is_product_default:
        return cited or ""
    marker = PRODUCT_DEFAULT_ID if lang == "id" else PRODUCT_DEFAULT_EN
    if cited is None:
        return marker
    reading = "tafsiran atas" if lang == "id" else "reading of"
    return f"{marker} ({reading} {cited})"
