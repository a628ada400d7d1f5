"""Answer 429 Too Many Requests where allauth reports a rate limit as a form
error (failed sign-ins and two-factor codes per account, sign-in code
requests) instead of its 429 page: the page still shows the form and the
translated message, and the status tells browsers, scripts and tests what
happened. The limits themselves are settings.ACCOUNT_RATE_LIMITS."""

from collections.abc import Callable
from functools import wraps

from allauth.account import views as allauth_views
from allauth.mfa.base import views as mfa_views
from django.http import HttpRequest, HttpResponse

RATE_LIMIT_ERRORS = {"too_many_login_attempts", "rate_limited"}


def answer_429_when_rate_limited(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        form = context.get("form")
        if response.status_code == 200 and form is not None and _rate_limited(form):
            response.status_code = 429
        return response

    return wrapped


def _rate_limited(form: object) -> bool:
    if not getattr(form, "is_bound", False):
        return False
    errors = form.errors.as_data()  # type: ignore[attr-defined]
    return any(error.code in RATE_LIMIT_ERRORS for field in errors.values() for error in field)


login = answer_429_when_rate_limited(allauth_views.login)
mfa_authenticate = answer_429_when_rate_limited(mfa_views.authenticate)
