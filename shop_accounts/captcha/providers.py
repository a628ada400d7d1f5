"""The hosted CAPTCHA services: Google reCAPTCHA v2 and v3 (v3 also needs
the store's minimum score), hCaptcha and Cloudflare Turnstile. The token
their widget put into the form is checked server-side at the provider's
documented "siteverify" URL, form-encoded, with a short timeout."""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal
from http.client import HTTPException
from typing import Any

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from shop_accounts.captcha.errors import CaptchaFailed, CaptchaUnavailable
from shop_accounts.conf import shop_settings
from shop_accounts.stores.models import Store

logger = logging.getLogger(__name__)

Provider = Store.CaptchaProvider


@dataclass(frozen=True)
class ThirdParty:
    """What we need to know about a hosted CAPTCHA service."""

    verify_url: str
    # The form field the provider's widget fills in.
    response_field: str
    # The provider's script (the widget template adds language and options).
    script_url: str
    # Hosts its script, frames and requests need in our Content-Security-Policy.
    csp: dict[str, list[str]] = field(default_factory=dict)
    sends_sitekey: bool = False


# reCAPTCHA v2 and v3 are one service; v3 differs in its answer (a score).
_RECAPTCHA = ThirdParty(
    verify_url="https://www.google.com/recaptcha/api/siteverify",
    response_field="g-recaptcha-response",
    script_url="https://www.google.com/recaptcha/api.js",
    csp={
        "script-src": ["https://www.google.com/recaptcha/", "https://www.gstatic.com/recaptcha/"],
        "frame-src": [
            "https://www.google.com/recaptcha/",
            "https://recaptcha.google.com/recaptcha/",
        ],
    },
)

THIRD_PARTIES: dict[str, ThirdParty] = {
    Provider.RECAPTCHA_V2: _RECAPTCHA,
    Provider.RECAPTCHA_V3: _RECAPTCHA,
    Provider.HCAPTCHA: ThirdParty(
        verify_url="https://api.hcaptcha.com/siteverify",
        response_field="h-captcha-response",
        script_url="https://js.hcaptcha.com/1/api.js",
        csp={
            directive: ["https://hcaptcha.com", "https://*.hcaptcha.com"]
            for directive in ("script-src", "frame-src", "style-src", "connect-src")
        },
        sends_sitekey=True,
    ),
    Provider.TURNSTILE: ThirdParty(
        verify_url="https://challenges.cloudflare.com/turnstile/v0/siteverify",
        response_field="cf-turnstile-response",
        script_url="https://challenges.cloudflare.com/turnstile/v0/api.js",
        csp={
            "script-src": ["https://challenges.cloudflare.com"],
            "frame-src": ["https://challenges.cloudflare.com"],
        },
    ),
}

# Error codes by which a provider says our configuration is wrong (not the
# shopper's answer): logged as errors, answered as "could not be completed".
_CONFIGURATION_ERRORS = {
    "missing-input-secret",
    "invalid-input-secret",
    "sitekey-secret-mismatch",
    "invalid-sitekey",
    "internal-error",
}


def verify_url(provider: str) -> str:
    """The provider's verify URL, or the one SHOP_CAPTCHA_VERIFY_URLS sets."""
    overrides: dict[str, str] = getattr(settings, "SHOP_CAPTCHA_VERIFY_URLS", {}) or {}
    return overrides.get(provider) or THIRD_PARTIES[provider].verify_url


def script_url(provider: str) -> str:
    """The provider's widget script, or the one SHOP_CAPTCHA_SCRIPT_URLS sets."""
    overrides: dict[str, str] = getattr(settings, "SHOP_CAPTCHA_SCRIPT_URLS", {}) or {}
    return overrides.get(provider) or THIRD_PARTIES[provider].script_url


# The form data holds the store's secret key: kept out of error reports.
@sensitive_variables("data")
def verify_with_provider(store: Store, answer: str, *, remote_ip: str | None, action: str) -> None:
    """Ask the store's hosted provider whether `answer` (its widget's token)
    is good; raise CaptchaFailed if the provider refuses it, and
    CaptchaUnavailable if it cannot be asked or answers nonsense.

    For reCAPTCHA v3, which never shows the shopper a puzzle, the token must
    also have been made for this form (`action`, the name the widget was
    rendered with) on this store's host name, and score at least the store's
    minimum: otherwise a token made on any page or site using the same keys
    would pass."""
    provider = store.captcha_provider
    data = {"secret": store.captcha_secret_key, "response": answer}
    if remote_ip:
        data["remoteip"] = remote_ip
    if THIRD_PARTIES[provider].sends_sitekey:
        data["sitekey"] = store.captcha_site_key
    result = _post_form(verify_url(provider), data)
    if result.get("success") is not True:
        codes = result.get("error-codes") or []
        if isinstance(codes, list) and _CONFIGURATION_ERRORS.intersection(map(str, codes)):
            logger.error("CAPTCHA %s of store %s is misconfigured: %s", provider, store.pk, codes)
            raise CaptchaUnavailable(f"provider error codes {codes}")
        raise CaptchaFailed(f"provider refused the answer: {codes}")
    if provider == Provider.RECAPTCHA_V3:
        _check_recaptcha_v3(store, result, action=action)


def _check_recaptcha_v3(store: Store, result: dict[str, Any], *, action: str) -> None:
    score = result.get("score")
    answered_action = result.get("action")
    hostname = result.get("hostname")
    if isinstance(score, bool) or not isinstance(score, int | float):
        raise CaptchaUnavailable("reCAPTCHA v3 answered without a score")
    if not isinstance(answered_action, str) or not isinstance(hostname, str):
        raise CaptchaUnavailable("reCAPTCHA v3 answered without an action or host name")
    if answered_action != action:
        raise CaptchaFailed(f"token made for action {answered_action!r}, not {action!r}")
    if _host(hostname) != _host(store.hostname):
        # Also what a store answering on a second host name would see: worth
        # a look in the log, as shoppers there cannot pass.
        logger.warning(
            "reCAPTCHA v3 token of store %s was made on %r, not on %r",
            store.pk,
            hostname,
            store.hostname,
        )
        raise CaptchaFailed(f"token made on host {hostname!r}")
    if Decimal(str(score)) < Decimal(store.captcha_min_score):
        raise CaptchaFailed(f"score {score} below {store.captcha_min_score}")


def _host(name: str) -> str:
    """A host name as DNS compares it: case-insensitive, without the root dot."""
    return name.strip().rstrip(".").lower()


@sensitive_variables("data", "request")
def _post_form(url: str, data: dict[str, str]) -> dict[str, Any]:
    """POST `data` form-encoded and return the JSON object answered; any
    network error, HTTP error or non-JSON answer is CaptchaUnavailable. The
    data (it holds the store's secret key) is never logged."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise CaptchaUnavailable(f"not an HTTP URL: {url}")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=urllib.parse.urlencode(data).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(  # noqa: S310 - scheme checked above
            request, timeout=shop_settings.CAPTCHA_TIMEOUT_SECONDS
        ) as response:
            body = response.read(64 * 1024)
        result = json.loads(body)
    except (urllib.error.URLError, HTTPException, OSError, ValueError) as error:
        logger.warning("CAPTCHA verification at %s failed: %s", url, error)
        raise CaptchaUnavailable(str(error)) from error
    if not isinstance(result, dict):
        logger.warning("CAPTCHA verification at %s answered %r", url, result)
        raise CaptchaUnavailable("answer is not a JSON object")
    return result
