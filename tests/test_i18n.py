"""Bahasa Indonesia first, English second (DESIGN.md §7).

Message ids are English, so English needs no catalogue; the Indonesian catalogue must translate
every id the source marks, keep its placeholders and hold no fuzzy guesses. Pages follow the
visitor's language, and dates and numbers are written the way each language writes them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.catalog import PYTHON_FORMAT, Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, session
from flask.testing import FlaskClient

from compliance.labels import SECTOR_LABELS
from tests.support.web import csrf_token, text_of

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "compliance" / "translations" / "id" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
# The same keywords as `scripts/i18n extract`.
KEYWORDS = ("_l", "lazy_gettext")


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale, abort_invalid=True)


def _compile_catalogue() -> None:
    """Set-up runs `scripts/i18n compile`; doing it here too lets `pytest` alone pass on a fresh
    checkout (the .mo files are not committed)."""
    if MO.exists() and MO.stat().st_mtime >= PO.stat().st_mtime:
        return
    catalog = _read(PO, "id")
    # Write beside the target and rename, so parallel workers never read half a file.
    fd, tmp = tempfile.mkstemp(dir=MO.parent, suffix=".mo.tmp")
    with os.fdopen(fd, "wb") as file:
        write_mo(file, catalog)
    Path(tmp).chmod(0o644)  # mkstemp makes it private; pybabel's output is world-readable
    Path(tmp).replace(MO)


_compile_catalogue()


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The message ids in the source as it is now, not as the committed .pot remembers it."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    pybabel = [sys.executable, "-m", "babel.messages.frontend", "--quiet"]
    done = subprocess.run(
        [*pybabel, "extract", "-F", "babel.cfg", *keywords, "--no-location", "-o", str(pot), "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return _read(pot)


@pytest.fixture(scope="module")
def indonesian() -> Catalog:
    return _read(PO, "id")


def _listing(ids: list[str]) -> str:
    return "\n".join(f"  {message_id!r}" for message_id in ids)


def test_every_message_has_an_indonesian_translation(
    extracted: Catalog, indonesian: Catalog
) -> None:
    missing = []
    for message in extracted:
        if not message.id:
            continue
        translated = indonesian.get(message.id)
        if translated is None or not all(_forms(translated.string)):
            missing.append(message.id)
    assert not missing, (
        f"{len(missing)} message(s) have no Indonesian translation; run `scripts/i18n update` "
        f"and translate them in {PO.relative_to(ROOT)}:\n{_listing(missing)}"
    )


def test_no_translation_is_fuzzy(indonesian: Catalog) -> None:
    # pybabel compile skips fuzzy entries, and a whole catalogue whose header is fuzzy.
    assert not indonesian.fuzzy, "the catalogue header is marked fuzzy"
    fuzzy = [message.id for message in indonesian if message.id and message.fuzzy]
    assert not fuzzy, f"fuzzy translations:\n{_listing(fuzzy)}"


def _forms(text: str | tuple[str, ...]) -> tuple[str, ...]:
    """A plural message holds one string per form; every form must be translated."""
    return (text,) if isinstance(text, str) else text


def _placeholders(text: str | tuple[str, ...]) -> Counter[str]:
    """Placeholders of a message; a plural message's forms must each carry the same set."""
    found: Counter[str] = Counter()
    for form in _forms(text):
        found |= Counter(match.group(0) for match in PYTHON_FORMAT.finditer(form))
    return found


def test_translations_keep_the_placeholders(indonesian: Catalog) -> None:
    # Templates format every string (newstyle gettext), so a stray or lost % breaks a page too.
    differ = [
        f"{message.id!r}\n    -> {message.string!r}"
        for message in indonesian
        if message.id
        and message.string
        and _placeholders(message.id) != _placeholders(message.string)
    ]
    assert not differ, "placeholders differ from the message id:\n  " + "\n  ".join(differ)


def test_pages_are_indonesian_until_the_visitor_switches_to_english(client: FlaskClient) -> None:
    page = text_of(client.get("/"))
    assert '<html lang="id" class="no-js">' in page
    assert ">Masuk</a>" in page
    assert "Lewati ke konten utama" in page

    response = client.post(
        "/language", data={"csrf_token": csrf_token(client, "/"), "lang": "en", "next": "/"}
    )
    assert response.status_code == 302
    assert response.location == "/"

    page = text_of(client.get("/"))
    assert '<html lang="en" class="no-js">' in page
    assert ">Log in</a>" in page
    assert "Skip to main content" in page


def test_an_english_browser_gets_english_until_it_chooses(app: Flask) -> None:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    page = text_of(client.get("/"))
    assert '<html lang="en" class="no-js">' in page
    assert ">Log in</a>" in page

    # The switch outranks the browser.
    token = csrf_token(client, "/")
    client.post("/language", data={"csrf_token": token, "lang": "id", "next": "/"})
    assert '<html lang="id" class="no-js">' in text_of(client.get("/"))


@pytest.mark.parametrize(
    ("lang", "number", "day"),
    # Day first, month by name, in both languages: "8/17/25" or "17/8/25" could be misread.
    [("id", "1.234.567", "17 Agu 2025"), ("en", "1,234,567", "17 Aug 2025")],
)
def test_numbers_and_dates_are_written_for_the_locale(
    app: Flask, lang: str, number: str, day: str
) -> None:
    template = app.jinja_env.from_string("{{ n|number }} | {{ d|date }}")
    with app.test_request_context("/"):
        session["lang"] = lang
        assert template.render(n=1234567, d=date(2025, 8, 17)) == f"{number} | {day}"


def test_labels_translated_once_print_as_the_lazy_labels_do(app: Flask) -> None:
    template = app.jinja_env.from_string(
        "{% set names = labels|translated %}{{ names.private }}|{{ labels.private }}"
    )
    with app.test_request_context("/"):
        session["lang"] = "id"
        once, lazy = template.render(labels=SECTOR_LABELS).split("|")
    assert once == lazy == "Perusahaan swasta"


@pytest.mark.parametrize(
    ("lang", "shown"), [("id", "17 Agu 2025, 10.30 WIB"), ("en", "17 Aug 2025, 10:30 WIB")]
)
def test_an_instant_is_shown_with_a_24_hour_time_and_its_zone(
    app: Flask, lang: str, shown: str
) -> None:
    template = app.jinja_env.from_string("{{ t|date }} / {{ t|date('short') }}")
    with app.test_request_context("/"):
        session["lang"] = lang
        # Stored as naive UTC: 03:30 UTC is 10:30 in Jakarta.
        instant = datetime(2025, 8, 17, 3, 30, tzinfo=UTC).replace(tzinfo=None)
        assert template.render(t=instant) == f"{shown} / {shown}"


def test_the_browser_language_picks_the_format_when_nothing_is_chosen(app: Flask) -> None:
    template = app.jinja_env.from_string("{{ n|number }}")
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert template.render(n=1234567) == "1,234,567"
    with app.test_request_context("/"):
        assert template.render(n=1234567) == "1.234.567"


# Plural forms: "1 workers" and "1 days left" read as a prototype. A message that puts a number
# before a countable noun must be an ngettext (English has two forms; Indonesian one).
PLURAL_NOUNS = (
    "days|working days|months|years|weeks|hours|people|persons|workers|employees|establishments|"
    "organisations|candidates|requests|referrals|rows|problems|declarations|cases|users|accounts|"
    "regencies|files|entries|events|e-mails"
)
NUMBER_BEFORE_NOUN = re.compile(rf"%\((\w+)\)[ds] (?:\w+ )?(?:{PLURAL_NOUNS})\b")
#: Singular-only ids whose number is never 1, with the reason.
ALWAYS_MANY = {
    # A quota period is twelve months long ("3 of 12 months"): only `done` can be 1, and it
    # comes first.
    "result over %(done)d of %(total)d months",
    "The period %(year)s so far: %(done)d of %(total)d months",
    "Legal entity, %(year)s (%(done)d of %(total)d months)",
    "Result for %(period)s: %(done)d of %(total)d months",
    # The basic plan's limit is a fixed number above one.
    "None: the basic service (up to %(establishments)d open establishments, imports of up to "
    "%(rows)s rows).",
    # Limits that are settings well above one: a plan's rows and establishments, a workbook's
    # grid, case attachments, problems listed.
    "The %(plan)s plan imports files of up to %(limit)s rows; this one has %(rows)s.",
    "The %(plan)s plan includes up to %(limit)d open establishments.",
    "A file may hold at most %(rows)s rows of %(columns)s columns: split it.",
    "The workbook is larger inside than a roster or figures file can be. Keep only the Data "
    "sheet (at most %(rows)s rows and %(columns)s columns) and save it again.",
    "Attach at most %(max)d files.",
    "The first %(shown)s problems are listed.",
    # The privacy threshold is 5.
    "%(mark)s: fewer than %(count)d persons, not shown for privacy; the hatched bar has a fixed "
    "height and is not to scale.",
}


def test_numbers_before_countable_nouns_use_plural_forms(extracted: Catalog) -> None:
    singular_only = [
        message.id
        for message in extracted
        if isinstance(message.id, str)
        and NUMBER_BEFORE_NOUN.search(message.id)
        and message.id not in ALWAYS_MANY
    ]
    assert not singular_only, (
        'a number before a plural noun without ngettext ("1 days left"): use ngettext, or add '
        "the id to ALWAYS_MANY with the reason it is never 1:\n" + _listing(singular_only)
    )
