"""Who may call which API route, and what a request body may be, checked before any view.

Like `compliance.access` for pages it is an allow-list: every route declares `@public_api` or
`@token_required(roles..., write=...)`, and a route that declares nothing answers 404. Only a
bearer token authenticates: a session cookie sent along is never read (so a page's cookie
cannot be ridden by another site: the API needs no CSRF token). The token's owner gives the
tenant reach, exactly as a login does; a read-only token is refused every write.

Bodies are JSON, read under a size limit while reading (`MAX_JSON_BYTES`), and parsed before
any view: malformed JSON, a body nested too deep or a number too long to read answer 400 with
problem+json instead of a 500.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, current_app, g, request
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from compliance.blueprints.api import bp
from compliance.blueprints.api.problems import Problem, from_http_error, problem_response
from compliance.clock import WIB
from compliance.extensions import csrf, db
from compliance.models.accounts import Role, User
from compliance.models.api import ApiToken
from compliance.models.tenancy import Reach, set_reach
from compliance.services import NotFound, PermissionDenied, ServiceError
from compliance.services.api_tokens import authenticate
from compliance.services.audit import act_through_token, stop_acting_through_token
from compliance.services.throttle import use

F = TypeVar("F", bound=Callable[..., Any])
API_ACCESS = "_kuota_api_access"
PUBLIC = "public"
MAX_BYTES_ATTR = "_kuota_api_max_bytes"
FILES_ATTR = "_kuota_api_files"
#: A bulk upsert of 10,000 roster rows is about 2 MB; nothing we accept is larger.
MAX_JSON_BYTES = 5 * 1024 * 1024
#: Requests per token per minute, counted in the database (every instance sees one count).
TOKEN_LIMIT_PER_MINUTE = 600
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

csrf.exempt(bp)


def public_api(view: F) -> F:
    setattr(view, API_ACCESS, PUBLIC)
    return view


def token_required(*allowed: Role, write: bool = False) -> Callable[[F], F]:
    """A token of a user with one of `allowed` roles (any role when none is named); `write`
    routes need a token made to change data."""

    def decorate(view: F) -> F:
        setattr(view, API_ACCESS, (frozenset(allowed), write))
        return view

    return decorate


def body_limit(max_bytes: int) -> Callable[[F], F]:
    """A smaller body limit for one route (the public calculator takes one organisation)."""

    def decorate(view: F) -> F:
        setattr(view, MAX_BYTES_ATTR, max_bytes)
        return view

    return decorate


def accepts_files(*mimetypes: str) -> Callable[[F], F]:
    """A route whose body is a file (a CSV or a workbook) rather than JSON: these media types
    are read as bytes by the view, still under the route's `body_limit`."""

    def decorate(view: F) -> F:
        setattr(view, FILES_ATTR, frozenset(mimetypes))
        return view

    return decorate


def current_token() -> ApiToken:
    token = g.get("api_token")
    assert isinstance(token, ApiToken), "only in routes behind token_required"
    return token


def current_api_user() -> User:
    return current_token().user


def _check_body(max_bytes: int, files: frozenset[str]) -> None:
    """Read the body under its limit and refuse JSON that cannot be parsed, before spectree
    (which would read a malformed body as `{}` and answer "field required")."""
    if request.method not in WRITE_METHODS:
        return
    request.max_content_length = max_bytes  # enforced while reading, chunked bodies too
    raw = request.get_data(cache=True)
    if not raw or request.mimetype in files:
        return
    if request.mimetype not in ("application/json", "application/merge-patch+json"):
        raise Problem(415, "unsupported-media-type", _("Send the body as application/json."))
    try:
        json.loads(raw)
    except (ValueError, RecursionError):
        # ValueError: not JSON, bad UTF-8, or an integer of more than 4,300 digits.
        raise Problem(400, "bad-request", _("The body is not valid JSON.")) from None


def _token_from_header() -> ApiToken | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _sep, presented = header.partition(" ")
    token = authenticate(db.session(), presented.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise Problem(
            401,
            "unauthorized",
            _("The token is unknown, expired or revoked. Make a new one on your account page."),
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return token


def count_call(scope: str, key: str, *, limit: int, window_seconds: int) -> None:
    """One more call by `key` in `scope`, counted in the database (every instance sees one
    count); 429 past the limit. The standard `RateLimit-*` headers go on the answer either
    way (`_rate_limit_headers`)."""
    quota = use(db.session(), scope, key, limit=limit, window_seconds=window_seconds)
    g.rate_limit_headers = {
        "RateLimit-Limit": str(quota.limit),
        "RateLimit-Remaining": str(quota.remaining),
        "RateLimit-Reset": str(quota.reset_seconds),
    }
    if not quota.allowed:
        raise Problem(
            429,
            "rate-limited",
            _("Wait %(seconds)d seconds before the next request.", seconds=quota.reset_seconds),
            headers={**g.rate_limit_headers, "Retry-After": str(quota.reset_seconds)},
        )


def _gate() -> None:
    # Cookies never authenticate the API: Flask-Login's user is the token's owner, or nobody.
    g._login_user = AnonymousUserMixin()
    set_reach(db.session(), Reach.nobody())
    g.zone = WIB
    view = current_app.view_functions.get(request.endpoint or "")
    rule = getattr(view, API_ACCESS, None)
    if rule is None:
        raise Problem(404, "not-found")
    token = _token_from_header()
    if token is not None:
        user = token.user
        g.api_token, g._login_user, g.zone = token, user, user.zone
        set_reach(db.session(), user.reach())
        g.audit_reset = act_through_token(token.name)
        count_call("api", f"token:{token.id}", limit=TOKEN_LIMIT_PER_MINUTE, window_seconds=60)
    if rule != PUBLIC:
        allowed, write = rule
        if token is None:
            raise Problem(
                401,
                "unauthorized",
                _("Send a personal access token: Authorization: Bearer kin_…"),
                headers={"WWW-Authenticate": "Bearer"},
            )
        if allowed and token.user.role not in allowed:
            raise Problem(403, "forbidden", _("This part of the API is not for your role."))
        if write and not token.can_write:
            raise Problem(
                403, "forbidden", _("This token may only read. Make one that may change data.")
            )
    _check_body(
        getattr(view, MAX_BYTES_ATTR, MAX_JSON_BYTES), getattr(view, FILES_ATTR, frozenset())
    )


def _stop_naming_the_token(_error: BaseException | None) -> None:
    reset = g.pop("audit_reset", None)
    if reset is not None:
        stop_acting_through_token(reset)


def _rate_limit_headers(response: Response) -> Response:
    for name, value in g.get("rate_limit_headers", {}).items():
        response.headers.setdefault(name, value)
    return response


# --- every error as problem+json ------------------------------------------------------------


def _problem(problem: Problem) -> Response:
    return problem_response(problem)


def _not_found(error: NotFound) -> Response:
    return problem_response(Problem(404, "not-found"))


def _forbidden(error: PermissionDenied) -> Response:
    return problem_response(Problem(403, "forbidden", error.message))


def _refused(error: ServiceError) -> Response:
    from compliance.blueprints.api.problems import FieldError

    if error.field:
        return problem_response(
            Problem(422, "invalid", errors=[FieldError(error.field, error.message)])
        )
    return problem_response(Problem(422, "invalid", error.message))


def _http_error(error: HTTPException) -> Response | HTTPException:
    if (error.code or 500) < 400:
        return error
    return problem_response(from_http_error(error))


def _database_unavailable(error: DBAPIError) -> Response:
    try:
        db.session.rollback()
    except DBAPIError:
        db.session().invalidate()
    return problem_response(Problem(503, "unavailable", headers={"Retry-After": "30"}))


bp.before_request(_gate)
bp.teardown_request(_stop_naming_the_token)
bp.after_request(_rate_limit_headers)
# Every class the application's page handlers know is named here too: Flask picks a handler
# by the exception's own class first, so an app-level `NotFound` page would beat a blueprint
# handler for its base class.
bp.register_error_handler(Problem, _problem)
bp.register_error_handler(NotFound, _not_found)
bp.register_error_handler(PermissionDenied, _forbidden)
bp.register_error_handler(ServiceError, _refused)
bp.register_error_handler(HTTPException, _http_error)
bp.register_error_handler(OperationalError, _database_unavailable)
bp.register_error_handler(InterfaceError, _database_unavailable)
