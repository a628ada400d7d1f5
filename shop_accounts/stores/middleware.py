"""Find the store from the request's host name (unknown hosts get the default
store) and make it `request.store`."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from shop_accounts.stores.context import reset_current_store, set_current_store
from shop_accounts.stores.queries import store_for_host


class CurrentStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        store = store_for_host(request.get_host())
        if store is None:
            return HttpResponse(
                _("No store is set up yet. Run: python manage.py load_demo_data"),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        request.store = store  # type: ignore[attr-defined]
        token = set_current_store(store)
        try:
            return self.get_response(request)
        finally:
            reset_current_store(token)
