"""The history list the HR manager and the inspector share: its filters and reading one page.

Sent by GET, so a filtered page can be bookmarked and its pager links keep the filters; the
service (`services.history`) checks what the form cannot (the dates' order, the kind) and its
refusals are shown on the form's fields. The admin's audit page has its own filters (any
organisation) and reuses the sentences only.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, StringField
from wtforms.validators import Optional

from compliance.blueprints.forms import SelectField, max_length, service_call
from compliance.extensions import db
from compliance.i18n import screen_zone
from compliance.labels import AREA_LABELS
from compliance.services import paging
from compliance.services.audit_search import AuditFilters
from compliance.services.history import History, HistoryFilters, organization_history

#: How a date filter reads when it is not a date (here and on the admin's audit page).
DATE_FORMAT_MESSAGE = _l("Enter a date as YYYY-MM-DD, for example 2024-03-31.")


class HistoryFilterForm(FlaskForm):
    class Meta:
        csrf = False

    area = SelectField(_l("Kind of change"), choices=[], default="", validate_choice=False)
    person = StringField(
        _l("Who acted"),
        validators=[max_length(254)],
        description=_l("Part of a name or an e-mail address."),
    )
    date_from = DateField(
        _l("From (date)"), validators=[Optional()], invalid_value_message=DATE_FORMAT_MESSAGE
    )
    date_to = DateField(
        _l("To (date, included)"),
        validators=[Optional()],
        invalid_value_message=DATE_FORMAT_MESSAGE,
    )


def read_history(
    organization_id: int, *, areas: Sequence[str] | None, show_people: bool
) -> tuple[HistoryFilterForm, History | None]:
    """The filter form (from the query string) and the page it asks for; no page while the
    filters are wrong, so the form shows why instead of a list for other filters."""
    form = HistoryFilterForm(formdata=request.args)
    form.area.choices = [
        SelectChoice("", _("Any kind")),
        *(
            SelectChoice(key, words)
            for key, words in AREA_LABELS.items()
            if key in (areas or AREA_LABELS)
        ),
    ]
    if not form.validate():
        return form, None
    history = None
    with service_call(form):
        filters = HistoryFilters(
            area=form.area.data or "",
            person=form.person.data or "",
            date_from=form.date_from.data,
            date_to=form.date_to.data,
            page=paging.page_number(request.args),
        )
        audit = AuditFilters(
            actor=filters.person,
            date_from=filters.date_from,
            date_to=filters.date_to,
            zone=screen_zone(),
        )
        history = organization_history(
            db.session(),
            organization_id,
            filters,
            audit=audit,
            areas=areas,
            show_people=show_people,
        )
    return form, history
