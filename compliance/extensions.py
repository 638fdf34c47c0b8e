"""Flask extensions, created once here and bound to the app in `create_app`.

Nothing in this module knows about a particular application instance, so any layer may import
`db` without creating an import cycle.
"""

from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from compliance.models.base import Base

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
migrate = Migrate()
babel = Babel()
