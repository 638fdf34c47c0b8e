"""Forms of the `main` blueprint."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField


class LanguageForm(FlaskForm):
    lang = HiddenField()
    next = HiddenField()
