"""Languages: Bahasa Indonesia first, English second.

Message ids in the code are English; the Indonesian catalogue translates them, so English needs no
catalogue. The choice comes from the session (the language switch), then the user's saved
preference, then the browser, then Indonesian.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

from compliance.clock import WIB, Zone
from compliance.extensions import babel

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT_LOCALE = "id"


def select_locale() -> str:
    if not has_request_context():  # CLI commands and jobs: the configured default
        return str(current_app.config.get("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE))
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    preferred = getattr(current_user, "locale", None)
    if preferred in LANGUAGES:
        return str(preferred)
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LOCALE


def screen_zone() -> Zone:
    """The zone of the person looking (set per request by `access`); WIB elsewhere."""
    zone = g.get("zone") if has_request_context() else None
    return zone if isinstance(zone, Zone) else WIB


def init_i18n(app: Flask) -> None:
    babel.init_app(
        app, locale_selector=select_locale, timezone_selector=lambda: screen_zone().tz.key
    )

    @app.context_processor
    def _languages() -> dict[str, object]:
        return {"languages": LANGUAGES, "current_locale": str(get_locale() or DEFAULT_LOCALE)}

    @app.template_filter("date")
    def _date(value: date | datetime | None, style: str = "medium") -> str:
        if value is None:
            return "—"
        if isinstance(value, datetime):  # stored UTC, shown in the reader's zone, named
            return f"{format_datetime(value, style)} {screen_zone().name}"
        return format_date(value, style)

    @app.template_filter("number")
    def _number(value: int | Decimal | None) -> str:
        return "—" if value is None else format_decimal(value)
