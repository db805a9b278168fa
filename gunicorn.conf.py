"""gunicorn settings, read by ``make run`` and by every deployment (``gunicorn wsgi:app`` run from
this folder picks the file up by itself). Environment: ``PORT`` (5000), ``HOST`` (127.0.0.1),
``WEB_CONCURRENCY`` (workers: twice the cores plus one, at most 8), ``GUNICORN_THREADS`` (4)."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 8))
# Threads per worker: a tablet on slow Wi-Fi uploading or downloading does not hold a whole worker.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 120  # the batch certificate PDF of a large contest takes a while
graceful_timeout = 30
keepalive = 5
# Every request is logged by the app itself, one structured line each; gunicorn logs its own events.
accesslog = None
errorlog = "-"
loglevel = "info"
# The app is imported once, before the workers fork, so they start at once; each worker then drops
# the connections it inherited and opens its own (a connection must never cross a fork).
preload_app = True


def post_fork(server, worker):  # noqa: ANN001, ANN201, ARG001
    database = getattr(server.app.wsgi(), "extensions", {}).get("judging.db")
    if database is not None:
        database.engine.dispose(close=False)


def when_ready(server):  # noqa: ANN001, ANN201
    server.log.info("judging is ready: http://%s/", bind)
