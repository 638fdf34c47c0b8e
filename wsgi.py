"""The WSGI entry point: `gunicorn wsgi:app` (production) or `flask --app wsgi run`; the worker
and the scheduler start from it too (`flask --app wsgi worker`, deploy/Procfile)."""

import gc

from compliance import create_app

app = create_app()

# Everything alive now (modules, mappers, templates' environment, rule packs) lives as long as
# the process. Frozen, the collector's full passes no longer walk these ~285,000 objects each
# time a request reading a large roster allocates enough to trigger one: a quarter to a third
# of /gap at 5,000 and 20,000 people (bench/gap_page.py). They are never freed, which they
# never were; a server that forks after loading keeps their pages shared (Python's gc docs).
gc.freeze()
