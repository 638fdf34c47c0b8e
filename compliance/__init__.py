"""Kuota Inklusi: disability employment quota compliance for Indonesia.

`create_app` is a flat list of `init_*` steps. It does no I/O beyond reading configuration:
no migrations, no scheduler, no network (those are `flask db upgrade` and `flask jobs run`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from compliance.config import Config


def create_app(config: Config | None = None) -> Flask:
    # Imported here, not at module level, so the pure `compliance.quota` engine and its command
    # (`python -m compliance.quota`) load without Flask.
    from werkzeug.middleware.proxy_fix import ProxyFix

    from compliance.config import PROJECT_ROOT, Config
    from compliance.web import KuotaFlask

    config = config or Config.from_env()
    app = KuotaFlask(__name__, instance_path=str(config.instance_path))
    app.config.from_mapping(config.flask_settings())
    if config.proxy_count:
        # Behind nginx or a load balancer: the client's address and scheme come from the proxy.
        n = config.proxy_count
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    app.extensions["kuota_config"] = config

    from compliance import access, i18n, logs, metrics, security, web
    from compliance.cli import init_cli
    from compliance.extensions import csrf, db, enforce_sqlite_foreign_keys, migrate
    from compliance.integrations.error_tracking import init_error_tracking
    from compliance.integrations.mail import Mailer
    from compliance.integrations.queue import init_queue
    from compliance.jobs.tasks import TASKS
    from compliance.models.types import configure_data_keys

    logs.init_logging(app, config)
    init_error_tracking(config)
    db.init_app(app)
    if config.is_sqlite:
        with app.app_context():
            enforce_sqlite_foreign_keys(db.engine)
    configure_data_keys(config.data_keys)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    i18n.init_i18n(app)
    access.init_access(app)
    security.init_security(app, config)
    metrics.init_metrics(app, config)
    app.extensions["kuota_mailer"] = Mailer(config)
    init_queue(app, config, TASKS)
    web.register_blueprints(app)
    init_cli(app)
    return app
