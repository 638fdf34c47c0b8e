"""Forms of the `organizations` blueprint."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField

from compliance.blueprints.forms import email_address, max_length, required


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Colleague's e-mail address"),
        validators=[
            required(),
            email_address(),
            max_length(254),
        ],
        render_kw={"autocomplete": "off"},
    )


class ConfirmForm(FlaskForm):
    """An empty form: a button that posts with a CSRF token."""
