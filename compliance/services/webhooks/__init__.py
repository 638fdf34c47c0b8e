"""Outbound webhooks: endpoints, the events they receive, signing and delivery.

Outbound only: the events Stripe sends us are `services.billing.webhooks`.

- `events`: which audit actions become which webhook events, and the deliveries they make
  (called by `services.audit.record_event`, the one place every change passes through).
- `signing`: the `Kuota-Signature` header and how a receiver checks it.
- `endpoints`: what HR managers and registry officers do with their endpoints.
- `delivery`: one attempt, the per-endpoint lane that keeps events in order, back-off and
  retention.

This package's `__init__` imports nothing: `services.audit` imports `events`, and `endpoints`
imports `services.audit`, so loading one must not load the other.
"""
