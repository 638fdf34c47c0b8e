"""Form pieces every blueprint shares: region choices and mapping service errors onto fields."""

from __future__ import annotations

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from compliance.extensions import db
from compliance.models.regions import Province
from compliance.services import ServiceError


def regency_choices() -> dict[str, list[tuple[str, str]]]:
    """All regencies/cities grouped by province, for a select with option groups."""
    provinces = db.session.scalars(select(Province).order_by(Province.name))
    return {
        province.name: [(r.code, r.name) for r in sorted(province.regencies, key=lambda r: r.name)]
        for province in provinces
    }


def province_choices() -> list[tuple[str, str]]:
    return [(p.code, p.name) for p in db.session.scalars(select(Province).order_by(Province.name))]


def show_service_error(form: FlaskForm, error: ServiceError) -> None:
    """Attach the error to its field so it is announced there; otherwise show it at the top."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*list(field.errors or []), error.message]
    else:
        flash(error.message, "error")


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
