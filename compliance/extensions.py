"""Flask extensions, created once here and bound to the app in `create_app`.

Nothing in this module knows about a particular application instance, so any layer may import
`db` without creating an import cycle.
"""

from __future__ import annotations

from typing import Any

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Engine, event

from compliance.integrations.queue import KuotaSession
from compliance.models.base import Base

#: `KuotaSession` runs the tasks a commit released (`integrations.queue`).
db = SQLAlchemy(model_class=Base, session_options={"class_": KuotaSession})
login_manager = LoginManager()
csrf = CSRFProtect()
migrate = Migrate()
babel = Babel()


def enforce_sqlite_foreign_keys(engine: Engine) -> None:
    """SQLite checks foreign keys only when each connection asks for it; PostgreSQL always does.
    Without this the embedded default would accept rows the production database refuses.
    (Migrations turn it off again: SQLite rebuilds a table to alter it.)"""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
