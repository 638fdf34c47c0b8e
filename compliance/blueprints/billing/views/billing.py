"""Views of the `billing` blueprint: the billing page, Checkout, the Portal, the webhook.

The billing page posts to Stripe's pages (through our redirect), so its Content-Security-Policy
allows that one extra form target; every other page keeps `form-action 'self'`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from compliance.access import current_actor, public, roles
from compliance.blueprints.billing import bp
from compliance.blueprints.billing.forms import CheckoutForm, PortalForm
from compliance.blueprints.forms import service_call
from compliance.blueprints.links import external_url
from compliance.extensions import csrf, db
from compliance.labels import SUBSCRIPTION_STATUS_LABELS
from compliance.models.accounts import Role
from compliance.security import CONTENT_SECURITY_POLICY
from compliance.services import settings
from compliance.services.billing.checkout import (
    PAYMENTS_OFF,
    billing_enabled,
    billing_overview,
    start_checkout,
    start_portal,
)
from compliance.services.billing.plans import (
    BASIC_ESTABLISHMENTS,
    BASIC_IMPORT_ROWS,
    BASIC_WEBHOOK_ENDPOINTS,
    PLANS,
    grace_ends_at,
)
from compliance.services.billing.webhooks import WebhookRejected, handle_webhook

#: Where Stripe's hosted pages live; a local fake server adds its own origin.
STRIPE_PAGES = ("https://checkout.stripe.com", "https://billing.stripe.com")


STATUS_LABELS = SUBSCRIPTION_STATUS_LABELS


@bp.before_app_request
def _billing_banner() -> None:
    """`g.billing_grace_ends` for the banner in the page layout (HR managers only).

    Read here, after the access gate has set the tenant reach, never while a template renders:
    an error page (a CSRF failure, a 413) is drawn without the gate having run, and must not
    touch tenant data (it used to fail with TenantScopeMissing, a bare 500)."""
    if request.blueprint == "api":  # no page layout, and no cookie user to read
        return
    user = current_user
    if not getattr(user, "is_authenticated", False) or user.role is not Role.HR_MANAGER:
        return
    if request.endpoint in (None, "static"):  # no page: a stylesheet, a font, a 404
        return
    # Loaded with the user (`load_user_for_session`): no query of its own on every page.
    organization = user.organization
    account = organization.billing_account if organization is not None else None
    g.billing_grace_ends = grace_ends_at(account) if account is not None else None


def _page_policy() -> str:
    origins = list(STRIPE_PAGES)
    base = settings().stripe_api_base
    if base:
        parts = urlsplit(base)
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", "form-action 'self' " + " ".join(origins)
    )


def _render_page(status: int = 200) -> Response:
    page = render_template(
        "billing/index.html",
        overview=billing_overview(db.session(), current_actor()),
        plans=PLANS,
        checkout_form=CheckoutForm(),
        portal_form=PortalForm(),
        status_labels=STATUS_LABELS,
        basic_establishments=BASIC_ESTABLISHMENTS,
        basic_import_rows=BASIC_IMPORT_ROWS,
        basic_webhook_endpoints=BASIC_WEBHOOK_ENDPOINTS,
    )
    response = Response(page, status=status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = _page_policy()
    return response


@bp.get("/billing/")
@roles(Role.HR_MANAGER)
def show_billing() -> ResponseReturnValue:
    return _render_page()


def _payments_off() -> ResponseReturnValue:
    """A payment asked for while billing is off (an old page, a script): say so plainly and go
    back to the billing page, which shows the same sentence beside its disabled buttons."""
    flash(str(PAYMENTS_OFF), "info")
    return redirect(url_for("billing.show_billing"), code=303)


@bp.post("/billing/checkout")
@roles(Role.HR_MANAGER)
def start_checkout_session() -> ResponseReturnValue:
    if not billing_enabled():
        return _payments_off()
    form = CheckoutForm()
    if not form.validate_on_submit():
        return _render_page(422)
    with service_call() as call:
        url = start_checkout(
            db.session(),
            current_actor(),
            form.plan.data or "",
            form.interval.data or "",
            success_url=external_url("billing.checkout_return")
            + "?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=external_url("billing.show_billing"),
        )
    if call.ok:
        return redirect(url, code=303)
    return _render_page(422)


@bp.get("/billing/return")
@roles(Role.HR_MANAGER)
def checkout_return() -> ResponseReturnValue:
    return render_template(
        "billing/return.html", overview=billing_overview(db.session(), current_actor())
    )


@bp.post("/billing/portal")
@roles(Role.HR_MANAGER)
def open_portal() -> ResponseReturnValue:
    if not billing_enabled():
        return _payments_off()
    form = PortalForm()
    if not form.validate_on_submit():
        return _render_page(422)
    with service_call() as call:
        url = start_portal(db.session(), current_actor(), external_url("billing.show_billing"))
    if call.ok:
        return redirect(url, code=303)
    return _render_page(422)


@bp.post("/billing/webhook")
@public
@csrf.exempt
def stripe_webhook() -> ResponseReturnValue:
    """Stripe's calls: authenticated by their signature, not by a session or a CSRF token."""
    try:
        outcome = handle_webhook(
            db.session(), request.get_data(), request.headers.get("Stripe-Signature")
        )
        db.session.flush()  # a concurrent delivery of the same event fails here, not at commit
    except WebhookRejected:
        db.session.rollback()
        return {"error": _("Invalid signature.")}, 400
    except IntegrityError:
        # The same event is being processed by a concurrent delivery: that one applies it.
        db.session.rollback()
        outcome = "duplicate"
    return {"received": True, "outcome": outcome}, 200
