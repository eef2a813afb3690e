"""Errors and log lines that cost next to nothing, whatever a visitor sends:

- errors are answered without printing a traceback with its locals (Datasette prints every exception
  with `rich` when it is installed, and frictionless installs it: 0.5 s of the event loop per 404);
- a refused sort is answered 400, the visitor's mistake (Datasette 0.65 answers 500);
- the access log keeps the first LOGGED_URL characters of a URL.
"""

import logging

import datasette.handle_exception
from datasette import hookimpl
from datasette.views.base import DatasetteError

LOGGED_URL = 200

datasette.handle_exception.rich = None


class ShortURLs(logging.Filter):
    """uvicorn's access log line is (client, method, path with query, http version, status)."""

    def filter(self, record):
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str) and len(args[2]) > LOGGED_URL:
            record.args = (*args[:2], args[2][:LOGGED_URL] + f"…[{len(args[2]):,} characters]", *args[3:])
        return True


@hookimpl(tryfirst=True)
def handle_exception(exception):
    if isinstance(exception, DatasetteError) and str(exception.message).startswith("Cannot sort table by"):
        exception.status = 400


@hookimpl
def startup(datasette):
    # After uvicorn has configured its loggers (it does so before the application starts).
    logging.getLogger("uvicorn.access").addFilter(ShortURLs())
