"""Identity middleware: a session belongs to one account realm (a signed-in
user is only signed in on the stores of their own realm), and pages of a
store with a hosted CAPTCHA may load that provider's script."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from shop_accounts.identity import captcha


class RealmSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        store = getattr(request, "store", None)
        if (
            user is not None
            and user.is_authenticated
            and store is not None
            and user.realm_id != store.account_realm_id
        ):
            logout(request)
        return self.get_response(request)


class CaptchaContentSecurityPolicyMiddleware:
    """Let the store's hosted CAPTCHA (reCAPTCHA, hCaptcha, Turnstile) load
    its script and frames: the response's policy is the site's own, extended
    with that provider's hosts. Placed right after Django's
    ContentSecurityPolicyMiddleware, so this runs before it writes the header.
    Stores with ALTCHA or no CAPTCHA keep the strict policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        additions = captcha.csp_additions(getattr(request, "store", None))
        if not additions:
            return response
        policy = getattr(response, "_csp_config", settings.SECURE_CSP)
        if not policy:
            return response
        extended = dict(policy)
        for directive, hosts in additions.items():
            current = extended.get(directive) or policy.get("default-src") or []
            extended[directive] = [*current, *(h for h in hosts if h not in current)]
        response._csp_config = extended  # type: ignore[attr-defined]
        return response
