"""Views of the `auth` blueprint: parse the form, call a service, render or redirect."""

from __future__ import annotations

import time

from flask import (
    Response,
    after_this_request,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from wtforms import SelectChoice

from compliance.access import current_actor, login_required, public
from compliance.blueprints.auth import bp
from compliance.blueprints.auth.forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    ChangePasswordForm,
    ConfirmSignUpForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    RevokeApiTokenForm,
    SignUpForm,
)
from compliance.blueprints.forms import regency_choices, service_call, show_service_error
from compliance.blueprints.links import external_url, safe_local_path
from compliance.clock import utcnow
from compliance.extensions import db
from compliance.services import ServiceError
from compliance.services.accounts import (
    LoginThrottled,
    authenticate,
    change_password,
    log_out,
    request_password_reset,
    reset_password,
)
from compliance.services.api_tokens import create_token, revoke_token, tokens_of
from compliance.services.passwords import ACCOUNT_SETUP, RESET
from compliance.services.signup import Links, SignUp, complete_sign_up, request_sign_up
from compliance.services.team import accept_invitation, find_invitation

#: How long the forgot-password answer takes at least (a mail is written well within it).
RESET_ANSWER_FLOOR_S = 0.25


def _client_ip() -> str:
    # Behind a proxy, ProxyFix (PROXY_COUNT) makes this the real client address.
    return request.remote_addr or "unknown"


def _safe_next(default: str) -> str:
    return safe_local_path(request.args.get("next"), default)


def _start_session(user: object) -> None:
    session.clear()  # a fresh session on login: no fixation
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(db.session(), form.email.data, form.password.data, _client_ip())
        except LoginThrottled as error:
            flash(error.message, "error")
            status = 429
        except ServiceError as error:
            # Not rolled back: the request commits the failed attempt, which feeds the lock.
            show_service_error(form, error)
        else:
            lang = session.get("lang")
            _start_session(user)
            if lang:
                session["lang"] = lang
            return redirect(_safe_next(url_for("main.dashboard")))
    elif form.errors:
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    log_out(db.session(), current_actor())
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/signup", methods=["GET", "POST"])
@public
def signup() -> ResponseReturnValue:
    form = SignUpForm()
    form.regency.choices = [SelectChoice("", _("Choose…")), *regency_choices()]
    if form.validate_on_submit():
        with service_call(form) as call:
            email = request_sign_up(
                db.session(),
                SignUp(
                    organization_name=form.organization_name.data,
                    nib=form.nib.data,
                    npwp=form.npwp.data,
                    sector=form.sector.data,
                    regency_code=form.regency.data,
                    name=form.name.data,
                    email=form.email.data,
                    password=form.password.data,
                ),
                Links(
                    confirm=lambda token: external_url("auth.confirm_sign_up", token=token),
                    log_in=external_url("auth.login"),
                    reset_password=external_url("auth.forgot_password"),
                ),
            )
        if call.ok:
            # The same answer whether or not the address has an account (see services.signup).
            session["signup_email"] = email
            return redirect(url_for("auth.sign_up_sent"))
    status = 422 if form.errors else 200
    return render_template("auth/signup.html", form=form), status


@bp.get("/signup/sent")
@public
def sign_up_sent() -> ResponseReturnValue:
    return render_template("auth/signup_sent.html", email=session.get("signup_email"))


@bp.route("/signup/confirm/<token>", methods=["GET", "POST"])
@public
def confirm_sign_up(token: str) -> ResponseReturnValue:
    """The link from the mail. Opening it shows a button: a mail scanner that follows links
    must not register the organisation (and be logged in) on the owner's behalf."""
    form = ConfirmSignUpForm()
    if form.validate_on_submit():
        with service_call(form) as call:
            user = complete_sign_up(db.session(), token)
        if call.ok:
            _start_session(user)
            flash(_("Welcome! Your organisation is registered."), "success")
            return redirect(url_for("main.dashboard"))  # the home's checklist: what to do first
    status = 422 if form.errors else 200
    return render_template("auth/signup_confirm.html", form=form), status


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
def forgot_password() -> ResponseReturnValue:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        started = time.monotonic()
        request_password_reset(
            db.session(),
            form.email.data,
            lambda token: external_url("auth.reset_password_form", token=token),
        )

        @after_this_request
        def _same_moment(response: Response) -> Response:
            # The same answer, no sooner than the same moment, whether or not the account
            # exists (a mail written or not): neither the words nor the timing enumerate
            # accounts. Waited after the commit, so no database lock is held meanwhile.
            time.sleep(max(0.0, RESET_ANSWER_FLOOR_S - (time.monotonic() - started)))
            return response

        flash(_("If an account exists for that address, we have e-mailed a reset link."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), 422 if form.errors else 200


def _password_from_link(token: str, purpose: str, template: str) -> ResponseReturnValue:
    form = ResetPasswordForm()
    if form.validate_on_submit():
        with service_call(form) as call:
            reset_password(db.session(), token, form.password.data, purpose)
        if call.ok:
            flash(_("Your password is set. Log in with it now."), "success")
            return redirect(url_for("auth.login"))
    return render_template(template, form=form), 422 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset_password_form(token: str) -> ResponseReturnValue:
    return _password_from_link(token, RESET, "auth/reset.html")


@bp.route("/account/setup/<token>", methods=["GET", "POST"])
@public
def set_up_account(token: str) -> ResponseReturnValue:
    return _password_from_link(token, ACCOUNT_SETUP, "auth/setup.html")


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password_form() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_actor()
        with service_call(form) as call:
            change_password(db.session(), user, form.current_password.data, form.password.data)
        if call.ok:
            login_user(user)  # re-issue this session's cookie with the new token
            flash(_("Your password is changed. Your other sessions are logged out."), "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/change_password.html", form=form), 422 if form.errors else 200


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@public
def accept_invitation_form(token: str) -> ResponseReturnValue:
    try:
        invitation = find_invitation(db.session(), token)
    except ServiceError as error:
        return render_template("auth/invitation_invalid.html", message=error.message), 404
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        with service_call(form) as call:
            user = accept_invitation(db.session(), token, form.name.data, form.password.data)
        if call.ok:
            _start_session(user)
            flash(
                _("Welcome to %(organization)s.", organization=invitation.organization.name),
                "success",
            )
            return redirect(url_for("organizations.show_own"))
    return render_template(
        "auth/accept_invitation.html", form=form, invitation=invitation
    ), 422 if form.errors else 200


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def api_tokens() -> ResponseReturnValue:
    """Personal access tokens for the JSON API. A new token's secret is on this one answer
    only (never in a redirect's flash message: the session cookie is signed, not secret)."""
    user = current_actor()
    form = ApiTokenForm()
    secret = None
    if form.validate_on_submit():
        with service_call(form) as call:
            _token, secret = create_token(
                db.session(),
                user,
                name=form.name.data or "",
                can_write=bool(form.can_write.data),
                lifetime_days=int(form.lifetime_days.data or 0),
            )
        if call.ok:
            form = ApiTokenForm(formdata=None)
    return render_template(
        "auth/api_tokens.html",
        form=form,
        revoke_form=RevokeApiTokenForm(),
        tokens=tokens_of(db.session(), user),
        secret=secret,
        now=utcnow(),
    ), 422 if form.errors else 200


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_api_token(token_id: int) -> ResponseReturnValue:
    if RevokeApiTokenForm().validate_on_submit():
        token = revoke_token(db.session(), current_actor(), token_id)
        flash(_("The token “%(name)s” no longer works.", name=token.name), "success")
    return redirect(url_for("auth.api_tokens"))
