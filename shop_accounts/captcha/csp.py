"""The hosts a store's hosted CAPTCHA needs in the Content-Security-Policy,
and the middleware that adds them to the pages of that store."""

import urllib.parse
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from shop_accounts.captcha.providers import THIRD_PARTIES, script_url
from shop_accounts.stores.context import request_store_or_none
from shop_accounts.stores.models import Store


def csp_additions(store: Store | None) -> dict[str, list[str]]:
    """Hosts the store's CAPTCHA provider needs in the Content-Security-Policy
    (with the origin of a script URL set in SHOP_CAPTCHA_SCRIPT_URLS)."""
    provider = store.captcha_provider if store is not None else ""
    third_party = THIRD_PARTIES.get(provider)
    if third_party is None:
        return {}
    url = script_url(provider)
    if url == third_party.script_url:
        return third_party.csp
    parts = urllib.parse.urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    script_src = third_party.csp.get("script-src", [])
    return {
        **third_party.csp,
        "script-src": [*script_src, *([origin] if origin not in script_src else [])],
    }


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
        additions = csp_additions(request_store_or_none(request))
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
