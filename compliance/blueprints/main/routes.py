"""Views of the `main` blueprint."""

from __future__ import annotations

import logging

from flask import jsonify, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from compliance.access import current_actor, login_required, public
from compliance.blueprints.links import safe_local_path
from compliance.blueprints.main import bp
from compliance.blueprints.main.forms import LanguageForm
from compliance.extensions import db
from compliance.i18n import LANGUAGES
from compliance.labels import REFERRAL_STATUS_LABELS, SECTOR_LABELS, STAGE_LABELS
from compliance.models.accounts import Role
from compliance.services.home.admin import admin_home
from compliance.services.home.hr import hr_home
from compliance.services.home.inspector import inspector_home
from compliance.services.home.uld import uld_home
from compliance.services.inspections import catch_up

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
    """Each role's home (`services.home`): where the user stands and the next step. Every
    query runs under the user's reach, so nobody sees another tenant's organisations."""
    actor = current_actor()
    db_session = db.session()
    if actor.role is Role.HR_MANAGER:
        home = hr_home(db_session, actor)
        return render_template(
            "main/home_hr.html",
            home=home,
            # What the shared parts expect (declarations/_periods_due, inspections/_open_cases).
            overview=home,
            periods_due=home.periods_due,
            open_cases=home.open_cases,
            stage_labels=STAGE_LABELS,
            lang="id" if str(get_locale()) == "id" else "en",
        )
    if actor.role is Role.INSPECTOR:
        catch_up(db_session)  # as the dashboard does: its counts, as of now
        return render_template(
            "main/home_inspector.html",
            home=inspector_home(db_session, actor),
            stage_labels=STAGE_LABELS,
        )
    if actor.role is Role.ADMIN:
        return render_template("main/home_admin.html", home=admin_home(db_session))
    return render_template(
        "main/home_uld.html",
        home=uld_home(db_session, actor),
        sector_labels=SECTOR_LABELS,
        referral_status_labels=REFERRAL_STATUS_LABELS,
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
