"""The inspection charts tell the truth: a suppressed count is a visible hatched "<5" bar, never
a zero; every series in the legend is drawn; labels do not collide; and the headline, the
tables and the charts all suppress by the one rule (`dashboard.is_suppressed`)."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest

from compliance.blueprints.inspections.chart import (
    CHAR_WIDTH,
    SUPPRESSED_HEIGHT,
    WIDTH,
    group_chart,
)
from compliance.models import Role
from compliance.services.inspections import rebuild_summaries
from compliance.services.inspections.dashboard import Aggregate, is_suppressed, suppressed
from tests.support.declarations import fill_recent
from tests.support.roster import make_employee
from tests.support.web import login, text_of


def _aggregate(key: str, required: int, counted: int, label: str | None = None) -> Aggregate:
    return Aggregate(key, label or key, 1, required, counted)


# --- The chart's geometry --------------------------------------------------------------------


def test_one_rule_decides_suppression():
    assert [is_suppressed(v) for v in (None, 0, 1, 4, 5, 120)] == [
        False,
        False,
        True,
        True,
        False,
        False,
    ]
    assert [suppressed(v) for v in (None, 0, 1, 4, 5)] == ["—", "0", "<5", "<5", "5"]


def test_a_suppressed_count_is_a_fixed_hatched_bar_not_a_zero():
    chart = group_chart((_aggregate("a", 40, 1), _aggregate("b", 40, 4), _aggregate("c", 0, 0)))
    one, four = chart.groups[0].bars[1], chart.groups[1].bars[1]
    for bar in (one, four):
        assert bar.is_suppressed
        assert bar.height == SUPPRESSED_HEIGHT > 0
        assert bar.y == chart.baseline - SUPPRESSED_HEIGHT
        assert bar.text == "<5"
        assert "bar-suppressed" in bar.css
        # Not the solid series class: its CSS fill would paint over the hatch.
        assert "bar-counted" not in bar.css.split()
    assert chart.has_suppressed
    assert chart.mark == "<5"
    # A zero is a zero: no bar, and not a suppressed one.
    zero = chart.groups[2].bars[1]
    assert (zero.height, zero.is_suppressed, zero.text) == (0, False, "0")


def test_the_counted_series_is_drawn_to_scale_when_it_has_values():
    chart = group_chart((_aggregate("a", 40, 20), _aggregate("b", 40, 5)))
    required, counted = chart.groups[0].bars
    assert (required.series, counted.series) == ("required", "counted")
    assert counted.css == "bar-counted"
    assert counted.height * 2 == required.height > 0
    five = chart.groups[1].bars[1]
    assert not five.is_suppressed
    assert five.height > 0
    assert not chart.has_suppressed


def test_a_small_count_that_is_shown_never_rounds_to_no_bar():
    chart = group_chart((_aggregate("a", 100_000, 5),))
    assert chart.groups[0].bars[1].height == 1


def test_suppressed_values_do_not_set_the_scale():
    """The axis would otherwise let a reader measure the hidden value against the ticks."""
    small = group_chart((_aggregate("a", 3, 2),))
    assert max(t.label for t in small.ticks) >= 5  # the axis reaches the threshold
    assert [b.height for b in small.groups[0].bars] == [SUPPRESSED_HEIGHT] * 2
    assert (
        group_chart((_aggregate("a", 40, 1),)).ticks == group_chart((_aggregate("a", 40, 4),)).ticks
    )


def _labels_collide(chart) -> bool:
    if chart.is_rotated:
        return False
    xs = [g.label_x for g in chart.groups]
    widths = [CHAR_WIDTH * len(g.label) for g in chart.groups]
    return any(
        b - a < (wa + wb) / 2 for a, b, wa, wb in zip(xs, xs[1:], widths, widths[1:], strict=False)
    )


@pytest.mark.parametrize("count", [1, 6, 12, 13, 27, 38])
def test_month_and_regency_labels_do_not_collide(count):
    months = tuple(_aggregate(f"2026-{m:02d}", 10, 6) for m in range(1, count + 1))
    names = tuple(
        _aggregate(f"32.{i:02d}", 10, 2, label=f"Kabupaten Contoh Nomor {i}") for i in range(count)
    )
    for chart in (group_chart(months), group_chart(names)):
        assert not _labels_collide(chart)
        if chart.is_rotated:
            # Turned labels stay inside the drawing: room on the left and underneath.
            reach = 0.71 * CHAR_WIDTH * max(len(g.label) for g in chart.groups)
            assert chart.groups[0].label_x - reach >= 0
            assert chart.height - chart.label_y >= min(reach, 100)
        # Each bar is wide enough for the "<5" above it, so the marks never overlap either.
        for group in chart.groups:
            assert all(b.width >= 20 for b in group.bars)
        assert chart.is_wide == (chart.width > WIDTH)
    assert group_chart(months).groups[-1].label.startswith("2026-")


def test_long_names_are_shortened_on_the_chart_and_kept_whole_in_the_title():
    name = "Kota Administrasi Jakarta Pusat"
    group = group_chart((_aggregate("31.71", 10, 2, label=name),) * 20).groups[0]
    assert group.title == name
    assert group.label.endswith("…")
    assert len(group.label) < len(name)


# --- The pages -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def region(factory):
    """Jakarta Pusat (31.71): a big company counting six persons; Jakarta Selatan (31.74): a
    small one counting one person and required to employ one, so its figures are "<5"."""
    big = factory.org(name="PT Besar Sekali", regency="31.71")
    small = factory.org(name="PT Kecil", regency="31.74")
    fill_recent(factory, big.id, {big.establishment_ids[0]: 1000})
    fill_recent(factory, small.id, {small.establishment_ids[0]: 50})
    for n in range(6):
        make_employee(factory, big.id, number=f"B-{n:03d}", name=f"Pekerja {n}", details=True)
    make_employee(factory, small.id, details=True)
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    admin = factory.user(Role.ADMIN)
    with factory.session() as session:
        rebuild_summaries(session)
    return {"inspector": inspector, "admin": admin}


def _chart(page: str, key_id: str) -> ElementTree.Element:
    """The SVG described by the legend `key_id`, parsed."""
    match = re.search(rf'<svg [^>]*aria-describedby="{key_id}".*?</svg>', page, re.S)
    assert match, f"no chart described by {key_id}"
    # Our own page, just rendered: not untrusted input.
    return ElementTree.fromstring(match.group(0))  # noqa: S314


def _bars(svg: ElementTree.Element) -> list[dict[str, str]]:
    """Every drawn bar: its class, height and accessible title."""
    return [
        {
            "class": rect.get("class", ""),
            "height": rect.get("height", ""),
            "fill": rect.get("fill", ""),
            "title": rect.findtext("title", ""),
        }
        for rect in svg.iter("rect")
        if "bar" in rect.get("class", "")
    ]


def _marks(svg: ElementTree.Element) -> list[str]:
    return [t.text or "" for t in svg.iter("text") if t.get("class") == "chart-mark"]


class _Tables(HTMLParser):
    """Every table's rows as lists of cell texts, and every <dt>/<dd> pair."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.facts: dict[str, str] = {}
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._term = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = self.tables.setdefault(
                dict(attrs).get("id") or f"#{len(self.tables)}", []
            )
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("th", "td", "dt", "dd"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag in ("th", "td") and self._table is not None and self._cell is not None:
            self._table[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "dt" and self._cell is not None:
            self._term = "".join(self._cell).strip()
            self._cell = None
        elif tag == "dd" and self._cell is not None:
            self.facts[self._term] = "".join(self._cell).strip()
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _parsed(page: str) -> _Tables:
    parser = _Tables()
    parser.feed(page)
    return parser


def _column(table: list[list[str]], name: str, row_label: str) -> str:
    header = table[0]
    row = next(r for r in table[1:] if r and r[0].startswith(row_label))
    return row[header.index(name)]


def test_the_dashboard_draws_a_suppressed_regency_as_a_labelled_hatched_bar(client, region):
    login(client, region["inspector"].email)
    page = text_of(client.get("/inspections"))
    svg = _chart(page, "regency-chart-key")
    hatched = [b for b in _bars(svg) if "bar-suppressed" in b["class"]]
    # Jakarta Selatan: one required, one counted; both drawn, at a fixed non-zero height.
    assert {b["class"] for b in hatched} == {
        "bar-suppressed bar-suppressed-required",
        "bar-suppressed bar-suppressed-counted",
    }
    for bar in hatched:
        assert int(bar["height"]) == SUPPRESSED_HEIGHT > 0
        assert bar["fill"].startswith("url(#regency-chart-hatch-")
        assert bar["title"].startswith("Jakarta Selatan, ")  # by name, never "31.74"
        assert bar["title"].endswith(": <5")
    assert _marks(svg).count("<5") == len(hatched)
    assert re.search(r'<pattern id="regency-chart-hatch-counted"', page)
    # The text alternative: an accessible name, and a legend that says what "<5" means.
    assert svg.get("role") == "img"
    assert svg.get("aria-label")
    legend = re.search(r'<p class="legend" id="regency-chart-key">(.*?)</p>', page, re.S)
    assert legend
    assert "&lt;5: fewer than 5 persons, not shown for privacy" in legend.group(1)
    assert "left bar" in legend.group(1)  # not colour alone: the legend names the position
    # The chart is labelled by short names; the table has each in full, with no code.
    regencies = _parsed(page).tables["regency-table"]
    assert _column(regencies, "Counted", "Kota Administrasi Jakarta Selatan") == "<5"
    assert "31.74" not in str(regencies)


def test_the_counted_series_is_drawn_when_it_has_values(client, region):
    login(client, region["inspector"].email)
    page = text_of(client.get("/inspections"))
    for key in ("month-chart-key", "regency-chart-key"):
        bars = _bars(_chart(page, key))
        counted = [b for b in bars if b["class"] == "bar-counted"]
        assert counted, f"no Counted bar drawn in {key}"
        assert all(int(b["height"]) > 0 for b in counted)
        assert all("Counted: " in b["title"] for b in counted)
        assert any(b["class"] == "bar-required" for b in bars)


def test_month_labels_are_turned_so_they_do_not_overlap(client, region):
    login(client, region["inspector"].email)
    page = text_of(client.get("/inspections"))
    svg = _chart(page, "month-chart-key")
    labels = [t for t in svg.iter("text") if re.fullmatch(r"\d{4}-\d{2}", (t.text or "").strip())]
    assert labels
    assert all(t.get("transform", "").startswith("rotate(-45 ") for t in labels)


def test_ids_on_the_dashboard_are_unique(client, region):
    login(client, region["inspector"].email)
    page = text_of(client.get("/inspections"))
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []


def test_the_headline_and_the_tables_agree_on_a_small_count(client, region):
    login(client, region["inspector"].email)
    page = _parsed(text_of(client.get("/inspections?regency=31.74")))
    assert page.facts["Persons required"] == "<5"
    assert page.facts["Persons counted"] == "<5"
    ranking = next(t for t in page.tables.values() if t and "Gap" in t[0])
    assert _column(ranking, "Required", "PT Kecil") == "<5"
    assert _column(ranking, "Counted", "PT Kecil") == "<5"
    regencies = page.tables["regency-table"]
    assert _column(regencies, "Required", "Kota Administrasi Jakarta Selatan") == "<5"
    assert _column(regencies, "Counted", "Kota Administrasi Jakarta Selatan") == "<5"
    # Above the threshold the same rule shows the number, in the headline and the row alike.
    page = _parsed(text_of(client.get("/inspections?regency=31.71")))
    ranking = next(t for t in page.tables.values() if t and "Gap" in t[0])
    assert page.facts["Persons counted"] == _column(ranking, "Counted", "PT Besar Sekali")
    assert page.facts["Persons counted"] != "<5"


def test_the_admin_drill_down_draws_suppressed_bars_and_agrees_with_its_tables(client, region):
    login(client, region["admin"].email)
    page = text_of(client.get("/admin/inspections?province=31"))
    svg = _chart(page, "regency-chart-key")
    hatched = [b for b in _bars(svg) if "bar-suppressed" in b["class"]]
    assert len(hatched) == 2
    assert all(int(b["height"]) == SUPPRESSED_HEIGHT for b in hatched)
    assert "<5" in _marks(svg)
    parsed = _parsed(page)
    provinces = parsed.tables["province-table"]
    for column, term in (("Required", "Persons required"), ("Counted", "Persons counted")):
        assert parsed.facts[term] == _column(provinces, column, "Daerah Khusus Ibukota Jakarta")
