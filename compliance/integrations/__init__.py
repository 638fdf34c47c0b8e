"""Edges to the outside world (mail, Stripe, external registries), each with an offline default."""
