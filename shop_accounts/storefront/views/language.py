"""Switching the page language."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from shop_accounts.core.middleware import CUSTOMER_LANGUAGE_SESSION_KEY
from shop_accounts.customers import actions
from shop_accounts.storefront.policy import signed_in_customer

SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the page language; a signed-in customer's emails follow it."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    customer = signed_in_customer(request)
    if customer is not None and language in SUPPORTED_LANGUAGES:
        actions.update_customer(customer, actor=customer, language=language)
        request.session[CUSTOMER_LANGUAGE_SESSION_KEY] = language
    return response
