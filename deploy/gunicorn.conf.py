"""gunicorn settings for production (deploy/README.md); every value can be overridden on the
command line. Large imports run on threads of the worker that received them (issue 18 moves
them to a task queue), so a worker is not recycled while it may hold one: no `max_requests`."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# An evidence pack of a large organisation or a 20,000-row upload takes seconds, not minutes.
timeout = 120
graceful_timeout = 30
# nginx buffers slow clients; keep-alive between nginx and gunicorn only.
keepalive = 5
# Logs go to stderr as JSON lines (LOG_FORMAT=json); gunicorn's access log would duplicate them.
accesslog = None
errorlog = "-"
# The app reads X-Forwarded-For/-Proto itself, as many proxies deep as PROXY_COUNT says.
forwarded_allow_ips = "127.0.0.1"


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    """With PROMETHEUS_MULTIPROC_DIR set (METRICS_ENABLED), forget a dead worker's gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
