"""The ALTCHA widget's challenge endpoint."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shop_accounts.captcha.altcha import altcha_challenge as new_altcha_challenge
from shop_accounts.stores.context import request_store_or_none
from shop_accounts.stores.models import Store


@never_cache
@require_http_methods(["GET"])
def altcha_challenge(request: HttpRequest) -> HttpResponse:
    """A fresh signed proof-of-work challenge for the ALTCHA widget, where
    the store uses ALTCHA."""
    store = request_store_or_none(request)
    if store is None or store.captcha_provider != Store.CaptchaProvider.ALTCHA:
        raise Http404
    return JsonResponse(new_altcha_challenge())
