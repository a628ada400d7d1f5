"""The shop's WSGI application, telling in two response headers how many SQL
statements the request ran and how many of them wrote (INSERT, UPDATE,
DELETE). Served by granian for bench/request_floor.py; not for production."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop_accounts.settings")

from django.core.wsgi import get_wsgi_application
from django.db import connection

shop = get_wsgi_application()
WRITES = ("INSERT", "UPDATE", "DELETE")


class _Counter:
    def __init__(self) -> None:
        self.queries = 0
        self.writes = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        self.writes += sql.lstrip().upper().startswith(WRITES)
        return execute(sql, params, many, context)


def application(environ, start_response):
    counter = _Counter()

    def start_with_counts(status, headers, exc_info=None):
        # Django starts the response once the view and every middleware are
        # done, so the counts are complete here.
        headers = [
            *headers,
            ("X-Bench-Queries", str(counter.queries)),
            ("X-Bench-Writes", str(counter.writes)),
        ]
        return start_response(status, headers, exc_info)

    # The connection object of this worker thread; it keeps the wrapper
    # across the reconnects of CONN_MAX_AGE=0.
    with connection.execute_wrapper(counter):
        return shop(environ, start_with_counts)
