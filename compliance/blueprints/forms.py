"""Form pieces every blueprint shares: region choices and mapping service errors onto fields."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

import wtforms
from flask import flash, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from wtforms import PasswordField, SelectChoice, widgets
from wtforms.fields.choices import Choice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from compliance.extensions import db
from compliance.models.regions import Province, Regency
from compliance.services import NotFound, PermissionDenied, ServiceError


def regency_choices() -> list[SelectChoice]:
    """All regencies/cities grouped by province, for a select with option groups. Read as
    plain rows: every form with a place on it lists all 514, and loading them as objects
    cost 5 ms a page (bench/web.py)."""
    rows = db.session.execute(
        select(Province.name, Regency.name, Regency.code)
        .join(Province, Regency.province_code == Province.code)
        .order_by(Province.name, Province.code)
    )
    return [
        SelectChoice(code, name, optgroup=province)
        for province, regencies in groupby(rows, key=itemgetter(0))
        for _, name, code in sorted(regencies, key=itemgetter(1))
    ]


class Select(widgets.Select):
    """WTForms' select, each plain option written in one step: a list of 514 regencies took
    9.5 ms through `html_params` per option, 2.5 ms like this (the same HTML, attributes in
    the same order). An option with attributes of its own goes the general way."""

    @classmethod
    def render_option(cls, choice: Choice, **kwargs: object) -> Markup:
        value = choice.value
        if kwargs or choice.render_kw or isinstance(value, bool):
            return super().render_option(choice, **kwargs)
        selected = "selected " if choice.selected else ""
        label = escape(choice.label or value)
        # Both the value and the label are escaped right here.
        return Markup(f'<option {selected}value="{escape(value)}">{label}</option>')  # noqa: S704


class SelectField(wtforms.SelectField):
    widget = Select()


class SelectMultipleField(wtforms.SelectMultipleField):
    widget = Select(multiple=True)


def province_choices() -> list[SelectChoice]:
    provinces = db.session.scalars(select(Province).order_by(Province.name))
    return [SelectChoice(p.code, p.name) for p in provinces]


def required(message: str | None = None) -> DataRequired:
    """DataRequired with a translated message (WTForms ships no Indonesian catalogue)."""
    return DataRequired(message=message or _l("This field is required."))


def max_length(limit: int) -> Length:
    return Length(max=limit, message=_l("Use at most %(max)d characters."))


def email_address() -> Email:
    return Email(message=_l("Enter a valid e-mail address."))


def show_service_error(
    form: FlaskForm, error: ServiceError, fields: Mapping[str, str] | None = None
) -> None:
    """Attach the error to its field so it is announced there; otherwise to the whole form
    (the error summary at the top lists both kinds). `fields` renames a service's field to the
    form's where they differ."""
    name = (fields or {}).get(error.field or "", error.field)
    field = getattr(form, name, None) if name else None
    if field is not None:
        field.errors = [*list(field.errors or []), error.message]
    else:
        form.form_errors.append(error.message)


@dataclass
class ServiceCall:
    """What `service_call` tells the view afterwards: `ok`, or the `error` it showed."""

    error: ServiceError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@contextmanager
def service_call(
    form: FlaskForm | None = None, fields: Mapping[str, str] | None = None
) -> Iterator[ServiceCall]:
    """Show a service's refusal on the page instead of leaving the request.

    On a `ServiceError` the change is rolled back (nothing half-written stays, and the
    request's commit stores nothing of it) and the message goes onto the form's field, or is
    flashed when the view has no form. `NotFound` and `PermissionDenied` are not form errors:
    they leave the view and answer 404 / 403 like everywhere else. The request boundary
    (`web.KuotaFlask`) commits; views then branch on `call.ok`::

        with service_call(form) as call:
            employee = add_employee(db.session(), current_actor(), data)
        if call.ok:
            return redirect(...)
    """
    call = ServiceCall()
    try:
        yield call
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as error:
        db.session.rollback()
        call.error = error
        if form is not None:
            show_service_error(form, error, fields)
        else:
            flash(error.message, "error")


CONFIRMED = "confirmed"


def is_confirmed() -> bool:
    """Whether this POST comes from the confirmation step's button (see `confirmation`)."""
    return request.form.get(CONFIRMED) == "yes"


def confirmation(
    *, title: str, what_happens: list[str], confirm_label: str, cancel_url: str
) -> ResponseReturnValue:
    """The step before an irreversible action: a page saying what will happen, whose button
    posts the same form again with `confirmed=yes`.

    Server-rendered, not a script dialog, so it works by keyboard and without JavaScript. The
    view may run the action as a dry run first (every check, and the figures it would file) and
    build this page's sentences from it; this rolls the dry run back, so nothing is stored until
    the user confirms. (The sentences are built before the call, while the rows are loaded.)
    """
    db.session.rollback()
    keep = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in ("csrf_token", CONFIRMED)
    ]
    return render_template(
        "confirm.html",
        title=title,
        what_happens=what_happens,
        confirm_label=confirm_label,
        cancel_url=cancel_url,
        keep=keep,
        action_url=request.path,
    )


def new_password_field() -> PasswordField:
    return PasswordField(
        _l("New password"),
        validators=[
            required(),
            Length(min=10, max=200, message=_l("Use between %(min)d and %(max)d characters.")),
        ],
        description=_l("At least 10 characters. A short sentence is easy to remember."),
        render_kw={"autocomplete": "new-password"},
    )


def confirm_password_field() -> PasswordField:
    return PasswordField(
        _l("Repeat the password"),
        validators=[required(), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


def uploaded_size(upload: FileStorage) -> int:
    """An upload's whole size in bytes, without reading it (werkzeug spooled it already)."""
    stream = upload.stream
    position = stream.tell()
    size = stream.seek(0, os.SEEK_END)
    stream.seek(position)
    return size
