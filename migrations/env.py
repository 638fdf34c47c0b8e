"""Alembic environment for Flask-Migrate: the engine and metadata come from the running app."""

import logging

from alembic import context
from flask import current_app

from compliance.models.base import is_ours

logger = logging.getLogger("alembic.env")
config = context.config
target_db = current_app.extensions["migrate"].db


def _engine_url() -> str:
    return target_db.engine.url.render_as_string(hide_password=False).replace("%", "%%")


config.set_main_option("sqlalchemy.url", _engine_url())


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_db.metadata,
        literal_binds=True,
        include_name=is_ours,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def process_revision_directives(context_, revision, directives):
        # Never write an empty migration from `flask db migrate`.
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    with target_db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # Altering a table in SQLite means copying it and dropping the old one, which with
            # foreign keys on would cascade deletes into the tables that point at it.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()  # so the migrations' own transaction starts afresh
        context.configure(
            connection=connection,
            target_metadata=target_db.metadata,
            include_name=is_ours,
            **conf_args,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
