"""Who may open which page: an allow-list gate in front of every view, and the tenant reach.

Every view declares its audience with one of the decorators below. A view that declares
nothing is refused: forgetting a decorator locks a page, it never opens one. Pages meant for
other roles answer 404, like objects outside the user's reach, so nothing reveals what exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from compliance.clock import WIB
from compliance.extensions import db, login_manager
from compliance.models.accounts import Role, User
from compliance.models.tenancy import Reach, set_reach
from compliance.services.accounts import load_user_for_session

F = TypeVar("F", bound=Callable[..., Any])
ACCESS_ATTR = "_kuota_access"
PUBLIC = "public"
ANY_USER = "any_user"


def public(view: F) -> F:
    """Anyone, logged in or not."""
    setattr(view, ACCESS_ATTR, PUBLIC)
    return view


def login_required(view: F) -> F:
    """Any logged-in user, whatever the role."""
    setattr(view, ACCESS_ATTR, ANY_USER)
    return view


def roles(*allowed: Role) -> Callable[[F], F]:
    """Logged-in users with one of `allowed` roles; others get 404."""

    def decorate(view: F) -> F:
        setattr(view, ACCESS_ATTR, frozenset(allowed))
        return view

    return decorate


def current_actor() -> User:
    """The logged-in user, typed; only call from views that are not public."""
    user = current_user._get_current_object()
    assert isinstance(user, User)
    return user


def _gate() -> Any:
    if request.blueprint == "api":
        # The JSON API authenticates by token alone (`blueprints.api.gate`): reading
        # `current_user` here would load the session cookie's user.
        return None
    user = current_user._get_current_object()
    set_reach(db.session(), user.reach() if isinstance(user, User) else Reach.nobody())
    g.zone = user.zone if isinstance(user, User) else WIB  # times on this person's screen
    if request.endpoint is None:  # 404 for an unknown URL: let Flask answer
        return None
    view = current_app.view_functions.get(request.endpoint)
    rule = getattr(view, ACCESS_ATTR, None)
    if request.endpoint == "static" or rule == PUBLIC:
        return None
    if not isinstance(user, User):
        return login_manager.unauthorized()
    if rule == ANY_USER:
        return None
    if isinstance(rule, frozenset) and user.role in rule:
        return None
    abort(404)


def init_access(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    # Flask-Login's "strong" protection would log users out on every IP change (mobile networks);
    # the session token in the cookie already ends stolen sessions on a password change.
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load(cookie_id: str) -> User | None:
        return load_user_for_session(db.session(), cookie_id)

    app.before_request(_gate)
