"""Choose the language of each request: the visitor's explicit choice (the
language cookie), else the customer's stored language (in the session from
the first factor of a sign-in on), else the store's default language. Keep
responses with personal data out of caches."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control

SUPPORTED = {code for code, _name in settings.LANGUAGES}
# The customer's stored language, written when a sign-in has passed its first
# factor (identity's adapter) and when a signed-in customer switches.
CUSTOMER_LANGUAGE_SESSION_KEY = "customer_language"


def request_language(request: HttpRequest, person_language: str | None = None) -> str:
    """The language of this request's pages, messages and emails: the language
    cookie (the visitor chose it on this device), else `person_language` (the
    person a page is for, e.g. an invitation's customer), else the customer's
    language in the session, else the store's default."""
    candidates = [
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME),
        person_language,
        request.session.get(CUSTOMER_LANGUAGE_SESSION_KEY) if hasattr(request, "session") else None,
        # core sits below stores, so it reads the attribute itself rather than
        # through stores.context.request_store_or_none.
        getattr(getattr(request, "store", None), "default_language", None),
    ]
    return next((code for code in candidates if code in SUPPORTED), settings.LANGUAGE_CODE)


def activate_request_language(request: HttpRequest, person_language: str | None = None) -> None:
    """Switch the rest of this request to `request_language`. The middleware
    decides before the view runs; a sign-in learns whose language it is only
    in the view, and what the view still renders (allauth's "Signed in as"
    message, the next stage's redirect) must already speak it."""
    language = request_language(request, person_language)
    translation.activate(language)
    request.LANGUAGE_CODE = language


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        activate_request_language(request)
        response = self.get_response(request)
        # The language the view ended in (it may have switched, see above).
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        translation.deactivate()
        return response


# Sign-in, sign-up, password reset, codes and links: their forms and the
# pages after them echo the email typed or the one a code went to.
SIGN_IN_ROUTES = ("account/",)


class PrivateResponsesMiddleware:
    """`Cache-Control: no-store, private` on every response that may carry
    personal data, so neither a shared computer's back button nor a proxy
    shows it to the next person: every response to a signed-in user, every
    answer to a form post (it echoes what was typed), and the sign-in area's
    pages. A header the view set already is kept and only made stricter."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self._is_private(request):
            patch_cache_control(response, no_store=True, private=True)
        return response

    @staticmethod
    def _is_private(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            return True
        match = request.resolver_match
        return match is not None and match.route.startswith(SIGN_IN_ROUTES)
