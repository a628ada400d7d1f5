"""Choose the language of each request: the visitor's explicit choice (the
language cookie), else the signed-in customer's stored language, else the
store's default language. Keep responses with personal data out of caches."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in SUPPORTED:
            language = (
                request.session.get("customer_language") if hasattr(request, "session") else None
            )
        if language not in SUPPORTED:
            # core sits below stores, so it reads the attribute itself rather than
            # through stores.context.request_store_or_none.
            store = getattr(request, "store", None)
            language = getattr(store, "default_language", settings.LANGUAGE_CODE)
        if language not in SUPPORTED:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
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
