"""Work that runs outside a request: background tasks (`background`) and, later, scheduled jobs.

Each job is a few lines that set a tenant reach, call services and commit.
"""
