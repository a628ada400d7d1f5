"""The CAPTCHA (shop_accounts.captcha) on allauth's forms and on the pages
that rate limit through allauth: allauth builds some of its forms without a
request, so the request comes from allauth's context then, and the shopper's
IP address is the one allauth's adapter sees (ALLAUTH_TRUSTED_PROXY_COUNT
and ALLAUTH_TRUSTED_CLIENT_IP_HEADER apply), the same as for rate limits."""

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from shop_accounts.captcha import forms as captcha_forms
from shop_accounts.identity.allauth_internals import context


class CaptchaFormMixin(captcha_forms.CaptchaFormMixin):
    """`shop_accounts.captcha.forms.CaptchaFormMixin` for forms allauth builds."""

    def captcha_request(self) -> HttpRequest | None:
        return super().captcha_request() or context.request

    def captcha_client_ip(self, request: HttpRequest) -> str | None:
        try:
            return get_adapter(request).get_client_ip(request)
        except PermissionDenied:
            return None
