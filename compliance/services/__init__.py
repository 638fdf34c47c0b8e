"""Use cases: every change a page, the API, a command or a job makes goes through a service.

A service checks the actor's permission, changes state, writes the audit event in the
same transaction and flushes; it never commits. The caller (a request, a CLI command,
a job) commits once.
"""

from __future__ import annotations

from flask import current_app

from compliance.config import Config


class ServiceError(Exception):
    """A user-correctable problem; `field` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(ServiceError):
    """The object does not exist or is outside the actor's reach (the two look the same)."""


class PermissionDenied(ServiceError):
    """The object is within reach, but the actor may not do this to it."""


def settings() -> Config:
    """The application's frozen configuration."""
    config = current_app.extensions["kuota_config"]
    assert isinstance(config, Config)
    return config
