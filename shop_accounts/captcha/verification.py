"""Which form of which store wants a CAPTCHA, and checking an answer with
the store's provider."""

from shop_accounts.captcha.altcha import verify_altcha_payload
from shop_accounts.captcha.errors import CaptchaMissing, CaptchaUnavailable
from shop_accounts.captcha.providers import THIRD_PARTIES, Provider, verify_with_provider
from shop_accounts.stores.models import Store

# Which store switch turns the CAPTCHA on for which form. The key is also the
# action name the form's widget is rendered with (reCAPTCHA v3 checks it).
FORM_SWITCHES = {
    "signin": "captcha_on_signin",
    "signup": "captcha_on_signup",
    "password_reset": "captcha_on_password_reset",
    "token_request": "captcha_on_token_request",
    "contact": "captcha_on_contact",
}


def captcha_required(store: Store | None, form_name: str) -> bool:
    """Does `store` want a CAPTCHA on the form `form_name` (a FORM_SWITCHES key)?"""
    if store is None or store.captcha_provider == Provider.NONE:
        return False
    return bool(getattr(store, FORM_SWITCHES[form_name]))


def verify_captcha(store: Store, answer: str, *, remote_ip: str | None, action: str) -> None:
    """Check the CAPTCHA answer the form `action` (a FORM_SWITCHES key)
    brought; raise a CaptchaError if it is missing, wrong, made for another
    form or host, already used, or cannot be checked right now."""
    if not answer:
        raise CaptchaMissing()
    if store.captcha_provider == Provider.ALTCHA:
        verify_altcha_payload(answer)
        return
    if store.captcha_provider in THIRD_PARTIES:
        verify_with_provider(store, answer, remote_ip=remote_ip, action=action)
        return
    raise CaptchaUnavailable(f"unknown CAPTCHA provider {store.captcha_provider!r}")
