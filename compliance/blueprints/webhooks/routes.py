"""Views of the `webhooks` blueprint: parse the form, call a service, render or redirect.

A new endpoint's signing secret is on the one answer that made it (never in a flash message:
the session cookie is signed, not secret).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from compliance.access import current_actor, roles
from compliance.blueprints.forms import confirmation, is_confirmed, service_call
from compliance.blueprints.webhooks import bp
from compliance.blueprints.webhooks.forms import ActionForm, ActiveForm, EndpointForm
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.models.webhooks import WebhookEndpoint
from compliance.services import ServiceError
from compliance.services.paging import page_number
from compliance.services.webhooks import delivery, endpoints, signing
from compliance.services.webhooks.endpoints import EndpointInput

OWNERS = (Role.HR_MANAGER, Role.REGISTRY_OFFICER)


def _form(endpoint: WebhookEndpoint | None = None) -> EndpointForm:
    form = EndpointForm(obj=endpoint)
    form.event_types.choices = endpoints.event_choices(db.session(), current_actor())
    return form


def _input(form: EndpointForm) -> EndpointInput:
    return EndpointInput(
        url=form.url.data or "",
        description=form.description.data or "",
        event_types=list(form.event_types.data or []),
    )


@bp.get("/webhooks")
@roles(*OWNERS)
def list_webhooks() -> ResponseReturnValue:
    session, actor = db.session(), current_actor()
    found = endpoints.list_endpoints(session, actor)
    return render_template(
        "webhooks/list.html",
        endpoints=found,
        has_owner=endpoints.owner_of(session, actor) is not None,
        counts=endpoints.counts_by_status(session, [e.id for e in found]),
        labels=endpoints.event_labels(session, actor),
    )


@bp.route("/webhooks/new", methods=["GET", "POST"])
@roles(*OWNERS)
def new_webhook() -> ResponseReturnValue:
    form = _form()
    if request.method == "GET":
        form.event_types.data = [name for name, _label in form.event_types.choices or []]
    if form.validate_on_submit():
        with service_call(form) as call:
            endpoint, secret = endpoints.create_endpoint(
                db.session(), current_actor(), _input(form)
            )
        if call.ok:
            return _show(endpoint, secret=secret)
    return render_template("webhooks/new.html", form=form), 422 if form.errors else 200


def _show(
    endpoint: WebhookEndpoint, form: EndpointForm | None = None, secret: str | None = None
) -> ResponseReturnValue:
    try:
        number = page_number(request.args)
    except ServiceError:
        abort(404)
    session, actor = db.session(), current_actor()
    form = form or _form(endpoint)
    page = endpoints.delivery_log(session, actor, endpoint.id, number)
    return render_template(
        "webhooks/show.html",
        endpoint=endpoint,
        form=form,
        secret=secret,
        page=page,
        action_form=ActionForm(),
        active_form=ActiveForm(active="0" if endpoint.is_active else "1"),
        labels=endpoints.event_labels(session, actor),
        max_attempts=delivery.MAX_ATTEMPTS,
        signature_header=signing.SIGNATURE_HEADER,
    ), 422 if form.errors else 200


@bp.route("/webhooks/<int:webhook_id>", methods=["GET", "POST"])
@roles(*OWNERS)
def show_webhook(webhook_id: int) -> ResponseReturnValue:
    """The endpoint, its events (changed here) and its delivery log, a page at a time."""
    endpoint = endpoints.get_endpoint(db.session(), current_actor(), webhook_id)
    form = _form(endpoint)
    if request.method == "POST" and form.validate_on_submit():
        with service_call(form) as call:
            endpoints.update_endpoint(db.session(), current_actor(), webhook_id, _input(form))
        if call.ok:
            flash(_("The endpoint was saved."), "success")
            return redirect(url_for("webhooks.show_webhook", webhook_id=webhook_id))
        endpoint = endpoints.get_endpoint(db.session(), current_actor(), webhook_id)
    return _show(endpoint, form)


@bp.post("/webhooks/<int:webhook_id>/test")
@roles(*OWNERS)
def test_webhook(webhook_id: int) -> ResponseReturnValue:
    endpoints.get_endpoint(db.session(), current_actor(), webhook_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    endpoints.send_test_event(db.session(), current_actor(), webhook_id)
    flash(_("A test event is on its way. Its delivery is listed below."), "success")
    return redirect(url_for("webhooks.show_webhook", webhook_id=webhook_id))


@bp.post("/webhooks/<int:webhook_id>/secret")
@roles(*OWNERS)
def roll_webhook_secret(webhook_id: int) -> ResponseReturnValue:
    """A new secret, on this one answer (like the first one)."""
    endpoints.get_endpoint(db.session(), current_actor(), webhook_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    endpoint, secret = endpoints.roll_secret(db.session(), current_actor(), webhook_id)
    return _show(endpoint, secret=secret)


@bp.post("/webhooks/<int:webhook_id>/active")
@roles(*OWNERS)
def set_webhook_active(webhook_id: int) -> ResponseReturnValue:
    endpoints.get_endpoint(db.session(), current_actor(), webhook_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        abort(400)
    is_active = form.active.data == "1"
    endpoints.set_active(db.session(), current_actor(), webhook_id, is_active)
    flash(
        _("The endpoint receives events again.")
        if is_active
        else _("The endpoint is disabled: no events are made for it until it is enabled."),
        "success",
    )
    return redirect(url_for("webhooks.show_webhook", webhook_id=webhook_id))


@bp.post("/webhooks/<int:webhook_id>/delete")
@roles(*OWNERS)
def delete_webhook(webhook_id: int) -> ResponseReturnValue:
    endpoint = endpoints.get_endpoint(db.session(), current_actor(), webhook_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not is_confirmed():
        return confirmation(
            title=_("Delete the endpoint “%(name)s”?", name=endpoint.description),
            what_happens=[
                _("No more events are sent to %(url)s.", url=endpoint.url),
                _("Its delivery log is deleted, with the events not delivered yet."),
                _("Its signing secret stops working; a new endpoint gets a new one."),
            ],
            confirm_label=_("Yes, delete the endpoint"),
            cancel_url=url_for("webhooks.show_webhook", webhook_id=webhook_id),
        )
    endpoints.delete_endpoint(db.session(), current_actor(), webhook_id)
    flash(_("The endpoint was deleted."), "success")
    return redirect(url_for("webhooks.list_webhooks"))


@bp.post("/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/send-again")
@roles(*OWNERS)
def send_delivery_again(webhook_id: int, delivery_id: int) -> ResponseReturnValue:
    endpoints.get_delivery(db.session(), current_actor(), webhook_id, delivery_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with service_call():
        endpoints.send_again(db.session(), current_actor(), webhook_id, delivery_id)
        flash(_("The event is sent again. Its delivery is listed below."), "success")
    return redirect(url_for("webhooks.show_webhook", webhook_id=webhook_id))
