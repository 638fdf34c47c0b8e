"""localstripe, plus the three things it lacks and our billing needs (test and development only).

localstripe (a stateful fake Stripe server) has customers, plans, subscriptions, invoices and
signed webhooks, but no Prices, Checkout Sessions or Billing Portal. This module adds small
versions of them on top of its aiohttp app:

- `POST /v1/prices`, `GET /v1/prices/{id}`: a price is stored as a localstripe plan with the
  same id, so subscriptions, invoices and webhooks work unchanged.
- `POST /v1/checkout/sessions` returns a `url` to `/pay/{id}`, a plain HTML page with a card
  number field. Paying creates the payment method and the subscription, sends
  `checkout.session.completed`, and redirects to the session's `success_url`. A declined card
  (4000000000000341) shows an error page and completes nothing, like Stripe's page.
- `POST /v1/billing_portal/sessions` returns a `url` to `/portal/{id}`, which lists the
  customer's subscriptions with a button to cancel each, and a link back to `return_url`.

Run: `python tests/support/localstripe_server.py --port 8420` (scripts/localstripe does it and
waits until it answers). It listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import html
import logging
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from localstripe import resources as ls
from localstripe import server
from localstripe.errors import UserError

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title></head><body><main><h1>{title}</h1>{body}</main></body></html>"""


def _page(title: str, body: str, status: int = 200) -> web.Response:
    return web.Response(
        text=PAGE.format(title=html.escape(title), body=body),
        content_type="text/html",
        status=status,
    )


class CheckoutSession(ls.StripeObject):
    object = "checkout.session"
    _id_prefix = "cs_test_"

    def __init__(self, base: str, **data: Any) -> None:
        customer = data.get("customer")
        items = data.get("line_items") or []
        if data.get("mode") != "subscription" or not isinstance(customer, str):
            raise UserError(400, "Bad request: mode=subscription and customer are needed")
        if len(items) != 1 or not isinstance(items[0].get("price"), str):
            raise UserError(400, "Bad request: one line item with a price")
        ls.Customer._api_retrieve(customer)
        ls.Plan._api_retrieve(items[0]["price"])
        super().__init__()
        self.customer = customer
        self.mode = "subscription"
        self.price = items[0]["price"]
        self.success_url = data.get("success_url")
        self.cancel_url = data.get("cancel_url")
        self.client_reference_id = data.get("client_reference_id")
        self.metadata = data.get("metadata") or {}
        self.subscription_metadata = (data.get("subscription_data") or {}).get("metadata") or {}
        self.status = "open"
        self.payment_status = "unpaid"
        self.subscription = None
        self.url = f"{base}/pay/{self.id}"


class PortalSession(ls.StripeObject):
    object = "billing_portal.session"
    _id_prefix = "bps_"

    def __init__(self, base: str, customer: Any = None, return_url: Any = None) -> None:
        if not isinstance(customer, str):
            raise UserError(400, "Bad request: customer is needed")
        ls.Customer._api_retrieve(customer)
        super().__init__()
        self.customer = customer
        self.return_url = return_url
        self.url = f"{base}/portal/{self.id}"


def _price_json(plan: Any) -> dict[str, Any]:
    return {
        "id": plan.id,
        "object": "price",
        "active": plan.active,
        "currency": plan.currency,
        "unit_amount": plan.amount,
        "product": plan.product,
        "recurring": {"interval": plan.interval, "interval_count": plan.interval_count},
        "type": "recurring",
        "created": plan.created,
        "livemode": False,
        "metadata": plan.metadata,
    }


async def create_price(request: web.Request) -> web.Response:
    data = await server.get_post_data(request) or {}
    recurring = data.get("recurring") or {}
    product = data.get("product") or dict(data.get("product_data") or {"name": "Plan"})
    plan = ls.Plan(
        id=data.get("id") or "price_" + ls.random_id(14),  # a fixed id: a test convenience
        amount=data.get("unit_amount"),
        currency=data.get("currency"),
        interval=recurring.get("interval"),
        product=product,
        metadata=data.get("metadata"),
    )
    return server.json_response(_price_json(plan))


async def retrieve_price(request: web.Request) -> web.Response:
    return server.json_response(_price_json(ls.Plan._api_retrieve(request.match_info["id"])))


def _base(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


async def create_checkout_session(request: web.Request) -> web.Response:
    data = await server.get_post_data(request) or {}
    return server.json_response(CheckoutSession(_base(request), **data)._export())


async def create_portal_session(request: web.Request) -> web.Response:
    data = await server.get_post_data(request) or {}
    return server.json_response(PortalSession(_base(request), **data)._export())


def _checkout(request: web.Request) -> CheckoutSession:
    found = ls.store.get("checkout.session:" + request.match_info["id"])
    if not isinstance(found, CheckoutSession):
        raise web.HTTPNotFound()
    return found


async def show_checkout(request: web.Request) -> web.Response:
    checkout = _checkout(request)
    plan = ls.Plan._api_retrieve(checkout.price)
    amount = f"{plan.amount:,} {plan.currency.upper()} / {plan.interval}"
    body = (
        f"<p>Subscription: {html.escape(plan.name or plan.id)}, {html.escape(amount)}</p>"
        f'<form method="post" action="/pay/{checkout.id}">'
        '<label for="card">Card number</label> '
        '<input id="card" name="card" value="4242424242424242" inputmode="numeric" '
        'autocomplete="cc-number"> '
        '<button type="submit">Pay</button></form>'
        f'<p><a href="{html.escape(checkout.cancel_url or "/")}">Cancel</a></p>'
    )
    return _page("Checkout (localstripe)", body)


async def pay_checkout(request: web.Request) -> web.Response:
    checkout = _checkout(request)
    if checkout.status != "open":
        return _page("Checkout (localstripe)", "<p>This checkout is already complete.</p>", 409)
    form = parse_qs(await request.text())
    number = (form.get("card") or ["4242424242424242"])[0].replace(" ", "")
    card = {"number": number, "exp_month": "12", "exp_year": "2030", "cvc": "123"}
    method = ls.PaymentMethod(type="card", card=card)
    if method._charging_is_declined():
        return _page("Checkout (localstripe)", "<p role='alert'>Your card was declined.</p>", 402)
    ls.PaymentMethod._api_attach(method.id, customer=checkout.customer)
    customer = ls.Customer._api_retrieve(checkout.customer)
    customer.invoice_settings["default_payment_method"] = method.id
    subscription = ls.Subscription(
        customer=checkout.customer,
        items=[{"plan": checkout.price}],
        metadata=dict(checkout.subscription_metadata),
    )
    checkout.status = "complete"
    checkout.payment_status = "paid"
    checkout.subscription = subscription.id
    ls.store["checkout.session:" + checkout.id] = checkout  # persist the change
    ls.schedule_webhook(ls.Event("checkout.session.completed", checkout))
    target = (checkout.success_url or "/").replace("{CHECKOUT_SESSION_ID}", checkout.id)
    raise web.HTTPSeeOther(target)


def _portal(request: web.Request) -> PortalSession:
    found = ls.store.get("billing_portal.session:" + request.match_info["id"])
    if not isinstance(found, PortalSession):
        raise web.HTTPNotFound()
    return found


async def show_portal(request: web.Request) -> web.Response:
    portal = _portal(request)
    subscriptions = [
        s
        for s in ls.Subscription._api_list_all(None, customer=portal.customer, limit=99)._list
        if s.status not in ("canceled", "incomplete_expired")
    ]
    rows = "".join(
        f"<li>{html.escape(s.id)} ({html.escape(s.status)}) "
        f'<form method="post" action="/portal/{portal.id}/cancel/{s.id}">'
        f'<button type="submit">Cancel subscription</button></form></li>'
        for s in subscriptions
    )
    body = (
        f"<ul>{rows}</ul>" if rows else "<p>No active subscription.</p>"
    ) + f'<p><a href="{html.escape(portal.return_url or "/")}">Return</a></p>'
    return _page("Billing portal (localstripe)", body)


async def cancel_from_portal(request: web.Request) -> web.Response:
    portal = _portal(request)
    subscription = ls.Subscription._api_retrieve(request.match_info["sub"])
    if subscription.customer != portal.customer:
        raise web.HTTPNotFound()
    ls.Subscription._api_delete(subscription.id)
    raise web.HTTPSeeOther(portal.return_url or "/")


#: Browser pages: no API key (like Stripe's hosted pages).
BROWSER_PATHS = ("/pay/", "/portal/")


@web.middleware
async def _auth(request: web.Request, handler: Any) -> web.StreamResponse:
    if request.path.startswith(BROWSER_PATHS):
        return await handler(request)
    return await server.auth_middleware(request, handler)


def build_app() -> web.Application:
    app = server.app
    app._middlewares = type(app._middlewares)(  # swap localstripe's auth for ours, before start
        _auth if m is server.auth_middleware else m for m in app._middlewares
    )
    router = app.router
    router.add_post("/v1/prices", create_price)
    router.add_get("/v1/prices/{id}", retrieve_price)
    router.add_post("/v1/checkout/sessions", create_checkout_session)
    router.add_post("/v1/billing_portal/sessions", create_portal_session)
    router.add_get("/pay/{id}", show_checkout)
    router.add_post("/pay/{id}", pay_checkout)
    router.add_get("/portal/{id}", show_portal)
    router.add_post("/portal/{id}/cancel/{sub}", cancel_from_portal)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8420)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    web.run_app(build_app(), host="127.0.0.1", port=args.port, print=None)


if __name__ == "__main__":
    main()
