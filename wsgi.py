"""The WSGI entry point: `gunicorn wsgi:app` (production) or `flask --app wsgi run`."""

from compliance import create_app

app = create_app()
