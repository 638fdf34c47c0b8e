"""The floor of a signed-in page on this product's stack, which bench/web.py measures beside the
hello-world and the product: no product code, only what every signed-in page must do.

- `/`: Flask answering a string (the framework's own cost per request);
- `/home`: a signed session cookie read, Flask-Login loading the user with one SQL statement
  through Flask-SQLAlchemy (PostgreSQL, pooled connections), and a Jinja page extending a
  layout with a menu (templates compiled once, as the product's are).

If a target ratio is above this floor's, no page of the product can meet it on this machine,
whatever the product does. `/login` signs the client in as the first user of `users` (the bench
fills the demo data first): a bench app on 127.0.0.1 only, never deployed.
"""

from __future__ import annotations

import os

from flask import Flask, render_template
from flask_login import LoginManager, UserMixin, login_required, login_user
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader
from sqlalchemy.orm import Mapped, mapped_column

LAYOUT = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{% block title %}{% endblock %}</title></head>
<body><nav><ul>{% for n in range(12) %}
<li><a href="{{ url_for('home', n=n) }}">Menu {{ n }}</a></li>{% endfor %}</ul></nav>
<main>{% block main %}{% endblock %}</main>
<footer>{{ current_user.email }}</footer></body></html>"""
PAGE = """{% extends "layout.html" %}{% block title %}Beranda{% endblock %}
{% block main %}<h1>Halo, {{ current_user.email }}</h1>{% endblock %}"""

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"].replace(
    "postgresql://", "postgresql+psycopg://", 1
)
app.jinja_loader = DictLoader({"layout.html": LAYOUT, "page.html": PAGE})
db = SQLAlchemy(app)
login_manager = LoginManager(app)


class User(db.Model, UserMixin):  # type: ignore[name-defined,misc]
    """The product's `users` table, read only: its id and e-mail."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str]


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


@app.get("/")
def hello() -> str:
    return "Hello, world!\n"


@app.get("/login")
def sign_in() -> str:
    user = db.session.scalars(db.select(User).order_by(User.id).limit(1)).one()
    login_user(user)
    return "signed in\n"


@app.get("/home")
@login_required
def home() -> str:
    return render_template("page.html")
