"""Thin HTTP adapters, one package per user-facing feature (routes.py, forms.py)."""
