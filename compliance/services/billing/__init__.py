"""Billing: plans and what they unlock (`plans`), Stripe Checkout and the Billing Portal
(`checkout`), and the webhook that keeps our copy of the subscription (`webhooks`)."""
