"""What the shop answers when the database cannot be reached, and how that
is logged.

A database that is down, restarting, refusing connections or whose pool has
no free connection within `SHOP_DB_POOL_TIMEOUT_SECONDS` raises Django's
`OperationalError` (or `InterfaceError` on a connection that died) wherever a
request first touches it: often the store lookup, before the store, the
session or the visitor are known. Django then calls `handler500`, which is
`server_error` below: it answers 503 with `Retry-After`, in the visitor's
language (cookie, else Accept-Language) and without touching the database,
and as JSON for API clients. Each process logs one line when an outage starts
and one when the database answers again, instead of a traceback per request.
Recovery needs no restart: every request tries the database afresh.
"""

import logging
import sys
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# What a client is told to wait before trying again, in seconds.
RETRY_AFTER_SECONDS = 30

SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def is_database_unavailable(error: BaseException | None) -> bool:
    """True for errors that mean "the database cannot be reached now" rather
    than a bug: connection refused or lost, server shutting down, no pooled
    connection in time, SQLite locked past its busy timeout."""
    return isinstance(error, OperationalError | InterfaceError)


class Outage:
    """One process's view of database outages, logged once when one starts
    and once when it ends, however many requests meet it. A database that
    flaps (a full pool under a flood: 503, 200, 503, ...) is logged at most
    once a minute; an outage that goes on is logged at its first failure
    after that minute."""

    QUIET_SECONDS = 60.0

    def __init__(self, who: str, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.who = who
        self._clock = clock
        self._lock = threading.Lock()
        self._since: float | None = None
        self._failures = 0
        self._logged = False
        self._last_logged: float | None = None

    @property
    def ongoing(self) -> bool:
        return self._since is not None

    def failed(self, error: BaseException) -> None:
        """Record a failure; log the outage it belongs to, once."""
        now = self._clock()
        with self._lock:
            self._failures += 1
            if self._since is None:
                self._since, self._logged = now, False
            if self._logged or (
                self._last_logged is not None and now - self._last_logged < self.QUIET_SECONDS
            ):
                return
            self._logged, self._last_logged = True, now
        if error.__cause__.__class__.__name__ == "PoolTimeout":
            reason = (
                "no connection within the pool timeout: the database is down "
                "or every pooled connection is busy"
            )
        else:
            lines = str(error).strip().splitlines()
            reason = f"{error.__class__.__name__}: {lines[0] if lines else ''}"
        logger.warning("Database unavailable (%s); %s until it answers again.", reason, self.who)

    def recovered(self) -> None:
        """Record a success; log the end of the outage, if its start was."""
        if self._since is None:  # the common case, without taking the lock
            return
        with self._lock:
            if self._since is None:
                return
            seconds, failures, logged = self._clock() - self._since, self._failures, self._logged
            self._since, self._failures, self._logged = None, 0, False
        if logged:
            logger.warning(
                "Database available again after %.0f s (%s failed attempts).", seconds, failures
            )


web_outage = Outage("requests are answered 503")


def wants_json(request: HttpRequest) -> bool:
    """API clients get JSON: the API's paths, or an Accept header that
    prefers JSON to HTML."""
    if request.path.startswith("/api/"):
        return True
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def visitor_language(request: HttpRequest) -> str:
    """The language already chosen for the request, else the visitor's own
    (language cookie, then Accept-Language), without the session or the store,
    which live in the database."""
    language = getattr(request, "LANGUAGE_CODE", None)
    if language in SUPPORTED_LANGUAGES:
        return language
    return translation.get_language_from_request(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 503 "temporarily unavailable" when the database cannot be
    reached, else the 500 page. Never shows details of the error."""
    error = sys.exc_info()[1]
    if is_database_unavailable(error):
        assert error is not None
        web_outage.failed(error)
        response = _error_response(
            request,
            status=503,
            template="503.html",
            code="temporarily_unavailable",
            message=lambda: _(
                "The shop is temporarily unavailable. Please try again in a few minutes."
            ),
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        # Logged once per outage above, not once per request by Django.
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response
    return _error_response(
        request,
        status=500,
        template="500.html",
        code="server_error",
        message=lambda: _("Something went wrong on our side. Please try again later."),
    )


def _error_response(
    request: HttpRequest, *, status: int, template: str, code: str, message: Callable[[], str]
) -> HttpResponse:
    with translation.override(visitor_language(request)):
        language = translation.get_language()
        if wants_json(request):
            response: HttpResponse = JsonResponse(
                {"code": code, "message": message()}, status=status
            )
        else:
            try:
                # Only what needs no database: the store if the request found
                # it already, else a neutral page (the template copes). core sits
                # below stores: it reads the attribute, not stores.context.
                body = render_to_string(
                    template, {"store": getattr(request, "store", None), "request": request}
                )
            except Exception:
                # The error page must not fail in turn (a missing static
                # manifest, a broken template): plain text then.
                logger.exception("Could not render %s", template)
                response = HttpResponse(
                    message(), status=status, content_type="text/plain; charset=utf-8"
                )
            else:
                response = HttpResponse(body, status=status)
    response["Content-Language"] = language
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """Notes that the database answers again: a request that ends with a
    connection open and no error on it has just used the database. (Pages
    that need no query, such as a guest's page with the store cached, say
    nothing either way.) Pooled connections return to the pool at the end of
    each request, so a connection open here was opened by this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if web_outage.ongoing and any(
            connection.connection is not None and not connection.errors_occurred
            for connection in connections.all(initialized_only=True)
        ):
            web_outage.recovered()
        return response
