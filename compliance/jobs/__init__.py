"""Work that runs outside a request: background tasks (`background`, `imports`) and the
scheduled jobs (`registry` lists them; `scheduler` runs them in `flask jobs run`, its own
process; `leader` keeps one runner among several; `runner` records each run).

Each job is a few lines that set a tenant reach, call services and commit per organisation.
"""
