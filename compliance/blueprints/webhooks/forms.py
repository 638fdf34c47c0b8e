"""Forms of the `webhooks` blueprint."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, URLField
from wtforms.widgets import CheckboxInput, ListWidget

from compliance.blueprints.forms import SelectMultipleField, max_length, required


class EndpointForm(FlaskForm):
    description = StringField(
        _l("Description"),
        description=_l("What receives the events, for example “SAP HR”."),
        validators=[required(), max_length(100)],
    )
    url = URLField(
        _l("Endpoint URL"),
        description=_l(
            "An https address on the internet, for example https://hr.example.co.id/kuota."
        ),
        validators=[required(), max_length(500)],
        render_kw={"autocomplete": "url", "spellcheck": "false"},
    )
    event_types = SelectMultipleField(
        _l("Events to send"),
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class ActiveForm(FlaskForm):
    """Enable or disable: the wanted state travels in a hidden field."""

    active = HiddenField()


class ActionForm(FlaskForm):
    """Only the CSRF token: the endpoint (and delivery) travel in the URL."""
