"""Views of the `main` blueprint."""

from __future__ import annotations

import logging

from flask import jsonify, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from compliance.access import current_actor, login_required, public
from compliance.blueprints.forms import SECTOR_LABELS
from compliance.blueprints.links import safe_local_path
from compliance.blueprints.main import bp
from compliance.blueprints.main.forms import LanguageForm
from compliance.extensions import db
from compliance.i18n import LANGUAGES
from compliance.models.accounts import Role
from compliance.services.organizations import organizations_in_reach

log = logging.getLogger(__name__)


@bp.get("/")
@public
def index() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/index.html")


@bp.get("/dashboard")
@login_required
def dashboard() -> ResponseReturnValue:
    """Each role's home. The organisation list is scoped by the user's reach automatically."""
    actor = current_actor()
    if actor.role is Role.HR_MANAGER:
        return redirect(url_for("declarations.show_gap"))
    if actor.role is Role.ADMIN:
        return redirect(url_for("admin.list_users"))
    if actor.role is Role.INSPECTOR:
        return redirect(url_for("inspections.show_dashboard"))
    return render_template(
        "main/dashboard.html",
        actor=actor,
        organizations=organizations_in_reach(db.session()),
        sector_labels=SECTOR_LABELS,
    )


@bp.post("/language")
@public
def switch_language() -> ResponseReturnValue:
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in LANGUAGES:
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            current_actor().locale = form.lang.data
    return redirect(safe_local_path(form.next.data, url_for("main.index")))


@bp.get("/favicon.ico")
@public
def favicon() -> ResponseReturnValue:
    """Browsers ask for /favicon.ico whatever the page says; our icon is an SVG."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/healthz")
@public
def healthz() -> ResponseReturnValue:
    try:
        # A real table, not "SELECT 1": SQLite answers that even when its file is gone or
        # unusable (it opens a new, empty database).
        db.session.execute(text("SELECT version_num FROM alembic_version")).one()
    except (SQLAlchemyError, ValueError):
        log.exception("health check: database unreachable")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.app_context_processor
def _language_form() -> dict[str, object]:
    form = LanguageForm(formdata=None, next=request.full_path.rstrip("?") if request else "/")
    return {"language_form": form}
