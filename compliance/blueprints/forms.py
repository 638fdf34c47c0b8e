"""Form pieces every blueprint shares: region choices and mapping service errors onto fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import PasswordField, SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from compliance.extensions import db
from compliance.models.regions import Province
from compliance.services import ServiceError


def regency_choices() -> list[SelectChoice]:
    """All regencies/cities grouped by province, for a select with option groups."""
    provinces = db.session.scalars(
        select(Province).options(selectinload(Province.regencies)).order_by(Province.name)
    )
    return [
        SelectChoice(r.code, r.name, optgroup=province.name)
        for province in provinces
        for r in sorted(province.regencies, key=lambda r: r.name)
    ]


def province_choices() -> list[SelectChoice]:
    provinces = db.session.scalars(select(Province).order_by(Province.name))
    return [SelectChoice(p.code, p.name) for p in provinces]


def show_service_error(form: FlaskForm, error: ServiceError) -> None:
    """Attach the error to its field so it is announced there; otherwise to the whole form
    (the error summary at the top lists both kinds)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*list(field.errors or []), error.message]
    else:
        form.form_errors.append(error.message)


def new_password_field() -> PasswordField:
    return PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=10, max=200)],
        description=_l("At least 10 characters. A short sentence is easy to remember."),
        render_kw={"autocomplete": "new-password"},
    )


def confirm_password_field() -> PasswordField:
    return PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
