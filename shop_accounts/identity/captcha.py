"""CAPTCHA on the credential and token forms and the contact form, per store
and per form (the store's `captcha_*` fields).

Providers:

- ALTCHA, self-hosted proof of work (the `altcha` package, protocol v2 as the
  vendored widget speaks it): we issue HMAC-signed, short-lived challenges
  (`altcha_challenge`, served by `views.altcha_challenge`), verify the solved
  payload and accept each payload once (the challenge signature is remembered
  in the cache for the challenge's lifetime).
- Google reCAPTCHA v2 and v3 (v3 also needs the store's minimum score),
  hCaptcha and Cloudflare Turnstile: the token the provider's widget put into
  the form is checked server-side at the provider's documented "siteverify"
  URL, form-encoded, with a short timeout.

A provider that cannot be reached, or answers anything but its documented
JSON, fails closed: the form is refused with `CaptchaUnavailable`, never let
through and never a 500.

Settings (Django settings, all optional):

- ``SHOP_CAPTCHA_VERIFY_URLS``: ``{provider: url}`` overriding a provider's
  verify URL (tests point them at a local HTTP server; an operator may route
  them through a gateway). Keys are the `Store.CaptchaProvider` values.
- ``SHOP_CAPTCHA_SCRIPT_URLS``: ``{provider: url}`` overriding the URL of a
  provider's widget script (browser tests serve a stand-in from loopback,
  since the real scripts need the internet). The script's origin is added to
  the pages' ``script-src`` next to the provider's own hosts.

Product settings (environment, see ``shop_accounts.conf``):
``SHOP_CAPTCHA_TIMEOUT_SECONDS``, ``SHOP_ALTCHA_COST``,
``SHOP_ALTCHA_CHALLENGE_SECONDS``.
"""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from http.client import HTTPException
from typing import Any

import altcha
from allauth.account.adapter import get_adapter
from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from shop_accounts.conf import shop_settings
from shop_accounts.identity.realms import store_of
from shop_accounts.stores.models import Store

logger = logging.getLogger(__name__)

Provider = Store.CaptchaProvider

# Which store switch turns the CAPTCHA on for which form.
FORM_SWITCHES = {
    "signin": "captcha_on_signin",
    "signup": "captcha_on_signup",
    "password_reset": "captcha_on_password_reset",
    "token_request": "captcha_on_token_request",
    "contact": "captcha_on_contact",
}

ALTCHA_ALGORITHM = "PBKDF2/SHA-256"
ALTCHA_KEY_PREFIX = "00"  # one zero byte: about 256 tries of the key derivation
# Languages the vendored widget has texts for besides English.
ALTCHA_LANGUAGES = {"de", "nl", "nb", "it"}


class CaptchaError(Exception):
    """The spam check refused the form; `message` is for the shopper."""

    code = "captcha_failed"
    message: Any = _("The spam check failed. Please try again.")

    def __init__(self, detail: str = "") -> None:
        self.detail = detail  # for the log only, never shown
        super().__init__(detail or str(self.message))


class CaptchaMissing(CaptchaError):
    code = "captcha_missing"
    message = _("Please complete the spam check.")


class CaptchaFailed(CaptchaError):
    code = "captcha_failed"


class CaptchaUnavailable(CaptchaError):
    code = "captcha_unavailable"
    message = _("The spam check could not be completed. Please try again in a moment.")


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


_RECAPTCHA_CSP = {
    "script-src": ["https://www.google.com/recaptcha/", "https://www.gstatic.com/recaptcha/"],
    "frame-src": ["https://www.google.com/recaptcha/", "https://recaptcha.google.com/recaptcha/"],
}

THIRD_PARTIES: dict[str, ThirdParty] = {
    Provider.RECAPTCHA_V2: ThirdParty(
        verify_url="https://www.google.com/recaptcha/api/siteverify",
        response_field="g-recaptcha-response",
        script_url="https://www.google.com/recaptcha/api.js",
        csp=_RECAPTCHA_CSP,
    ),
    Provider.RECAPTCHA_V3: ThirdParty(
        verify_url="https://www.google.com/recaptcha/api/siteverify",
        response_field="g-recaptcha-response",
        script_url="https://www.google.com/recaptcha/api.js",
        csp=_RECAPTCHA_CSP,
    ),
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


def captcha_required(store: Store | None, form_name: str) -> bool:
    """Does `store` want a CAPTCHA on the form `form_name` (a FORM_SWITCHES key)?"""
    if store is None or store.captcha_provider == Provider.NONE:
        return False
    return bool(getattr(store, FORM_SWITCHES[form_name]))


def response_field_name(store: Store, default: str) -> str:
    """The POST field the store's CAPTCHA widget answers in."""
    third_party = THIRD_PARTIES.get(store.captcha_provider)
    return third_party.response_field if third_party else default


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


def verify_captcha(store: Store, answer: str, *, remote_ip: str | None) -> None:
    """Check the CAPTCHA answer a form brought; raise a CaptchaError if it is
    missing, wrong, already used, or cannot be checked right now."""
    if not answer:
        raise CaptchaMissing()
    if store.captcha_provider == Provider.ALTCHA:
        verify_altcha_payload(answer)
        return
    if store.captcha_provider in THIRD_PARTIES:
        _verify_with_provider(store, answer, remote_ip=remote_ip)
        return
    raise CaptchaUnavailable(f"unknown CAPTCHA provider {store.captcha_provider!r}")


# --- Hosted providers -----------------------------------------------------------


def verify_url(provider: str) -> str:
    """The provider's verify URL, or the one SHOP_CAPTCHA_VERIFY_URLS sets."""
    overrides: dict[str, str] = getattr(settings, "SHOP_CAPTCHA_VERIFY_URLS", {}) or {}
    return overrides.get(provider) or THIRD_PARTIES[provider].verify_url


def script_url(provider: str) -> str:
    """The provider's widget script, or the one SHOP_CAPTCHA_SCRIPT_URLS sets."""
    overrides: dict[str, str] = getattr(settings, "SHOP_CAPTCHA_SCRIPT_URLS", {}) or {}
    return overrides.get(provider) or THIRD_PARTIES[provider].script_url


def _verify_with_provider(store: Store, answer: str, *, remote_ip: str | None) -> None:
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
        score = result.get("score")
        if isinstance(score, bool) or not isinstance(score, int | float):
            raise CaptchaUnavailable("reCAPTCHA v3 answered without a score")
        if Decimal(str(score)) < Decimal(store.captcha_min_score):
            raise CaptchaFailed(f"score {score} below {store.captcha_min_score}")


def _post_form(url: str, data: dict[str, str]) -> dict[str, Any]:
    """POST `data` form-encoded and return the JSON object answered; any
    network error, HTTP error or non-JSON answer is CaptchaUnavailable."""
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


# --- ALTCHA (self-hosted proof of work) --------------------------------------------


def _altcha_key() -> str:
    """The HMAC key of our challenges, derived from SECRET_KEY."""
    return salted_hmac(
        "shop_accounts.identity.captcha.altcha", "challenge", algorithm="sha256"
    ).hexdigest()


def altcha_challenge() -> dict[str, Any]:
    """A new signed challenge for the ALTCHA widget (protocol v2), valid for
    SHOP_ALTCHA_CHALLENGE_SECONDS."""
    expires_at = timezone.now() + timedelta(seconds=shop_settings.ALTCHA_CHALLENGE_SECONDS)
    challenge = altcha.create_challenge(
        ALTCHA_ALGORITHM,
        shop_settings.ALTCHA_COST,
        key_prefix=ALTCHA_KEY_PREFIX,
        expires_at=expires_at,
        hmac_secret=_altcha_key(),
    )
    return challenge.to_dict()


def verify_altcha_payload(payload: str) -> None:
    """Accept a solved ALTCHA payload once: signed by us, not expired, solved,
    and not seen before."""
    if len(payload) > 8 * 1024:
        raise CaptchaFailed("payload too long")
    try:
        result = altcha.verify_solution(payload, _altcha_key())
        signature = (
            altcha.Payload.from_base64(payload).challenge.signature if result.verified else ""
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise CaptchaFailed(f"unreadable payload: {error}") from error
    if not result.verified or not signature:
        raise CaptchaFailed(
            "expired" if result.expired else (result.error or "wrong solution or signature")
        )
    # Replays: the first use of a solved challenge stores its signature for as
    # long as the challenge could still be accepted; cache.add is atomic.
    if not cache.add(
        f"altcha:used:{signature}", True, timeout=shop_settings.ALTCHA_CHALLENGE_SECONDS + 60
    ):
        raise CaptchaFailed("payload already used")


# --- Forms ------------------------------------------------------------------------


class CaptchaWidget(forms.Widget):
    """The provider's own widget (identity/captcha/<provider>.html) with its
    script; it reads the answer from the field the provider's widget fills."""

    use_fieldset = False

    def __init__(self, *, provider: str, site_key: str, form_name: str) -> None:
        super().__init__()
        self.provider = provider
        self.site_key = site_key
        self.form_name = form_name

    @property
    def template_name(self) -> str:  # type: ignore[override]
        return f"identity/captcha/{self.provider}.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        third_party = THIRD_PARTIES.get(self.provider)
        context["captcha"] = {
            "provider": self.provider,
            "site_key": self.site_key,
            "action": self.form_name,
            "language": language,
            "script_url": script_url(self.provider) if third_party else "",
            "challenge_url": reverse("identity:altcha-challenge"),
            "altcha_language": language if language in ALTCHA_LANGUAGES else "",
        }
        return context

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        # The project's template engine (static files, translations), not the
        # form renderer's, which only knows Django's own widget templates.
        return mark_safe(  # noqa: S308 - a rendered, autoescaped template
            render_to_string(self.template_name, self.get_context(name, value, attrs))
        )

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str:
        third_party = THIRD_PARTIES.get(self.provider)
        return data.get(third_party.response_field if third_party else name) or ""

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False

    def use_required_attribute(self, initial: Any) -> bool:
        return False

    def id_for_label(self, id_: str) -> str:
        return ""  # the provider's widget labels its own control


class CaptchaField(forms.CharField):
    """The answer to the store's CAPTCHA; checked by CaptchaFormMixin.clean()."""

    default_error_messages = {"required": CaptchaMissing.message}

    def __init__(self, *, store: Store, form_name: str) -> None:
        super().__init__(
            label="",
            required=True,
            widget=CaptchaWidget(
                provider=store.captcha_provider,
                site_key=store.captcha_site_key,
                form_name=form_name,
            ),
        )


class CaptchaFormMixin(forms.Form):
    """Adds the current store's CAPTCHA to a form where the store wants one
    for `captcha_form` (a FORM_SWITCHES key), and checks it first in clean():
    a form without a valid answer goes no further (no password is checked,
    no email is sent)."""

    captcha_form: str = ""
    captcha_field_name = "captcha"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        store = store_of(getattr(self, "request", None))
        self.captcha_store = store if captcha_required(store, self.captcha_form) else None
        if self.captcha_store is not None:
            self.fields[self.captcha_field_name] = CaptchaField(
                store=self.captcha_store, form_name=self.captcha_form
            )

    def clean(self) -> dict[str, Any]:
        if self.captcha_store is not None:
            answer = self.cleaned_data.get(self.captcha_field_name)
            if not answer:
                return self.cleaned_data  # "complete the spam check" is shown already
            try:
                verify_captcha(self.captcha_store, answer, remote_ip=self._client_ip())
            except CaptchaError as error:
                self.add_error(
                    self.captcha_field_name, forms.ValidationError(error.message, code=error.code)
                )
                return self.cleaned_data
        return super().clean() or self.cleaned_data

    def _client_ip(self) -> str | None:
        request = getattr(self, "request", None) or allauth_context.request
        if request is None:
            return None
        try:
            return get_adapter(request).get_client_ip(request)
        except PermissionDenied:
            return None
