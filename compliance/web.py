"""The web adapter's frame: the request boundary, blueprint registration and the error pages
every blueprint shares."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException, SecurityError
from werkzeug.routing import IntegerConverter, Map

from compliance.extensions import db
from compliance.i18n import DEFAULT_LOCALE, LANGUAGES
from compliance.services import NotFound, PermissionDenied, ServiceError
from compliance.services.regions import region_name

log = logging.getLogger(__name__)


class KuotaFlask(Flask):
    """Flask with one unit of work per request (indico's `RH.process`, STYLE.md).

    Services flush and never commit; views never commit either. The view runs, and then:
    it returned, so the request's session commits once; it raised, so the session rolls back
    and the exception becomes its page (`NotFound` 404, `PermissionDenied` 403, any other
    `ServiceError` 400 with its message). A commit that loses a race with another request
    (a unique key or a row version taken meanwhile) answers 409 with a plain sentence instead
    of a 500. Views that show a service's message on their form use `forms.service_call`,
    which rolls back the failed change itself so the commit stores nothing of it.
    """

    def dispatch_request(self) -> ResponseReturnValue:
        session = db.session()
        try:
            _refuse_nul()
            result = super().dispatch_request()
        except BaseException:
            session.rollback()
            raise
        try:
            session.commit()
        except (IntegrityError, StaleDataError) as error:
            session.rollback()
            raise Conflict() from error
        return result


def _refuse_nul() -> None:
    """A NUL character in a query or form value is refused before any view sees it: no person
    types one, PostgreSQL text cannot store one (every text field would be a 500 there), and
    SQLite would store it silently. Uploaded files are read by their own checks."""
    for values in (request.args, request.form):
        for key, items in values.lists():
            if "\x00" in key or any("\x00" in item for item in items):
                raise ServiceError(
                    _(
                        "The form held a character that cannot be stored (a NUL character). "
                        "Nothing was saved."
                    )
                )


#: The largest id a row can have (PostgreSQL `integer`); a larger one is no row at all.
MAX_ROW_ID = 2**31 - 1


class RowIdConverter(IntegerConverter):
    """`<int:...>` in our URLs is a row id: one beyond the database's integer answers 404, not a
    500 from the database (a 20-digit id did)."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = MAX_ROW_ID,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def register_labels(app: Flask) -> None:
    """Words instead of codes in every template: `x|label` (an enum member, or a code and its
    kind: `code|label('sector')`), `code|region` (a province's or regency's name), and the
    status of record's tables the `_status.html` macro reads."""
    from compliance.labels import FOLLOW_UP_LABELS, RECORD_LABELS, actor_words, label

    app.jinja_env.globals.update(record_labels=RECORD_LABELS, follow_up_labels=FOLLOW_UP_LABELS)
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["actor"] = actor_words
    app.jinja_env.filters["region"] = lambda code: region_name(db.session(), code)


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = RowIdConverter
    register_labels(app)
    from compliance.blueprints.admin import bp as admin_bp
    from compliance.blueprints.api import bp as api_bp
    from compliance.blueprints.api import pages as api_pages_bp
    from compliance.blueprints.auth import bp as auth_bp
    from compliance.blueprints.billing import bp as billing_bp
    from compliance.blueprints.declarations import bp as declarations_bp
    from compliance.blueprints.exports import bp as exports_bp
    from compliance.blueprints.imports import bp as imports_bp
    from compliance.blueprints.inspections import bp as inspections_bp
    from compliance.blueprints.main import bp as main_bp
    from compliance.blueprints.organizations import bp as organizations_bp
    from compliance.blueprints.quota import bp as quota_bp
    from compliance.blueprints.registry import bp as registry_bp
    from compliance.blueprints.roster import bp as roster_bp
    from compliance.blueprints.webhooks import bp as webhooks_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(organizations_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(quota_bp)
    app.register_blueprint(roster_bp)
    app.register_blueprint(imports_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(declarations_bp)
    app.register_blueprint(inspections_bp)
    app.register_blueprint(registry_bp)
    app.register_blueprint(billing_bp)
    app.register_blueprint(webhooks_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(api_pages_bp)

    @app.errorhandler(SecurityError)
    def _untrusted_host(error: SecurityError) -> tuple[str, int, dict[str, str]]:
        # A Host (or X-Forwarded-Host) outside TRUSTED_HOSTS: no page, since no link on it
        # could be built for that host, and nothing else happens (host-header poisoning).
        return "400 Bad Request: unknown host\n", 400, {"Content-Type": "text/plain"}

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_unavailable(error: DBAPIError) -> tuple[str, int, dict[str, str]]:
        """The database is down or restarting (or SQLite is locked past its timeout): a kind
        page, never a traceback, and `Retry-After`. Nothing is kept of the failed request's
        session; the pool tests each connection before use (`pool_pre_ping`), so pages work
        again by themselves once the database is back, with no restart."""
        log.error("database unavailable: %s", type(error.orig).__name__, exc_info=error)
        try:
            db.session.rollback()
        except DBAPIError:
            db.session().invalidate()
        chosen = session.get("lang")
        lang = (
            chosen if chosen in LANGUAGES else request.accept_languages.best_match(list(LANGUAGES))
        )
        lang = lang or DEFAULT_LOCALE
        retry_url = request.full_path.rstrip("?") if request.method == "GET" else "/"
        # Rendered from the Jinja environment itself: context processors (Flask-Login's loads
        # the user) would read the database again.
        template = app.jinja_env.get_template("errors/unavailable.html")
        with force_locale(lang):
            page = template.render(lang=lang, retry_url=retry_url)
        return page, 503, {"Retry-After": "30"}

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(NotFound)
    def _not_found(error: NotFound) -> tuple[str, int]:
        # Outside the user's reach and non-existent look the same on purpose.
        return render_template("errors/http.html", code=404, error=None), 404

    @app.errorhandler(PermissionDenied)
    def _forbidden(error: PermissionDenied) -> tuple[str, int]:
        return render_template("errors/http.html", code=403, error=None), 403

    @app.errorhandler(ServiceError)
    def _refused(error: ServiceError) -> tuple[str, int]:
        # A view with no form to show it on: the service's own sentence, on the error page.
        return render_template("errors/http.html", code=400, error=None, message=error.message), 400

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        if code < 400:  # routing redirects are exceptions too
            return error
        if request.path.startswith("/api/") and request.blueprint != "api_pages":
            # No route matched, so no blueprint handler ran: still an API answer.
            from compliance.blueprints.api.problems import from_http_error, problem_response

            return problem_response(from_http_error(error))
        return render_template("errors/http.html", error=error, code=code), code
