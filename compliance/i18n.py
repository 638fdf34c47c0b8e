"""Languages: Bahasa Indonesia first, English second.

Message ids in the code are English; the Indonesian catalogue translates them, so English needs no
catalogue. The choice comes from the session (the language switch), then the user's saved
preference, then the browser, then Indonesian.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from babel import dates, numbers
from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import format_datetime, get_locale, get_translations
from flask_login import current_user

from compliance.clock import WIB, Zone
from compliance.extensions import babel

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT_LOCALE = "id"


def select_locale() -> str:
    if not has_request_context():  # CLI commands and jobs: the configured default
        return str(current_app.config.get("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE))
    if request.blueprint == "api":  # an API client says its language in each request
        return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LOCALE
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    preferred = getattr(current_user, "locale", None)
    if preferred in LANGUAGES:
        return str(preferred)
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LOCALE


def screen_zone() -> Zone:
    """The zone of the person looking (set per request by `access`, or by an e-mail being
    rendered for its recipient, in a job too); WIB elsewhere."""
    zone = g.get("zone") if has_app_context() else None
    return zone if isinstance(zone, Zone) else WIB


#: Day, abbreviated month name, year: no reader can take the month for the day.
UNAMBIGUOUS = {"short": "d MMM y", "medium": "d MMM y"}


#: Each language's catalogue, as Flask-Babel loads it once per process (every app of the
#: process reads the same `translations/`). Flask-Babel's own template callables look the
#: catalogue up through Flask's `g` four times a string, about 11 µs, and the HR home shows
#: 750 strings (bench/web.py); through here it is one lookup of the locale.
_CATALOGUES: dict[str, NullTranslations] = {}


def _catalogue() -> NullTranslations:
    """The catalogue of the locale in force now (the reader's, or a forced one)."""
    locale = str(get_locale())
    found = _CATALOGUES.get(locale)
    if found is None:
        found = _CATALOGUES[locale] = get_translations()
    return found


@lru_cache(maxsize=4096)
def _decimal(value: int | Decimal, locale: str) -> str:
    """A number written as `locale` writes it; equal numbers are written alike, and the same
    few hundred repeat down every table."""
    return numbers.format_decimal(value, locale=locale)


@lru_cache(maxsize=4096)
def _day(value: date, pattern: str, locale: str) -> str:
    """A day written as `locale` writes it, as Flask-Babel's `format_date` writes it (the app
    sets no `date_formats`, so a named style is the locale's own): a page names the same few
    months row after row (the gap page lists each establishment missing figures each month)."""
    return dates.format_date(value, pattern, locale=locale)


def init_i18n(app: Flask) -> None:
    babel.init_app(
        app, locale_selector=select_locale, timezone_selector=lambda: screen_zone().tz.key
    )
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # via `_catalogue`
        gettext=lambda s: _catalogue().ugettext(s),
        ngettext=lambda s, p, n: _catalogue().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: _catalogue().unpgettext(c, s, p, n),
    )

    @app.context_processor
    def _languages() -> dict[str, object]:
        return {"languages": LANGUAGES, "current_locale": str(get_locale() or DEFAULT_LOCALE)}

    @app.template_filter("date")
    def _date(value: date | datetime | None, style: str = "medium") -> str:
        """A date or an instant, unambiguous in both languages: "4 Des 2026" / "4 Dec 2026",
        instants with a 24-hour time and the reader's zone ("4 Des 2026, 10.48 WIB"). The
        locales' own short and medium styles are not used: "12/4/26" reads as 12 April in
        Indonesia, and "Dec 4" puts the month first."""
        if value is None:
            return "—"
        pattern = UNAMBIGUOUS.get(style, style)
        if isinstance(value, datetime):  # stored UTC, shown in the reader's zone, named
            if style in UNAMBIGUOUS:  # 24-hour time, written as each language writes it
                pattern = f"{pattern}, {'HH.mm' if str(get_locale()) == 'id' else 'HH:mm'}"
            return f"{format_datetime(value, pattern)} {screen_zone().name}"
        return _day(value, pattern, str(get_locale()))

    @app.template_filter("number")
    def _number(value: int | Decimal | None) -> str:
        return "—" if value is None else _decimal(value, str(get_locale()))

    @app.template_filter("translated")
    def _translated(labels: Mapping[str, object]) -> dict[str, str]:
        """Labels (lazy strings) translated once, for a template that prints them row after
        row: a lazy string looks up its translation each time it is printed."""
        return {key: str(label) for key, label in labels.items()}
