"""Storefront access policy, enforced for every shop page at once."""

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from shop_accounts.storefront.policy import shop_closed_to

# Storefront pages a visitor of a members-only shop may still open: without
# them nobody could switch the language or ask for access. Payment providers'
# webhooks come from their servers, never signed in. An order's status page
# is reached by its unguessable link, which the order's emails carry.
OPEN_PAGES = frozenset(
    {"set-language", "contact", "contact-sent", "payment-webhook", "order-status"}
)


class ShopVisibilityMiddleware:
    """A store visible to signed-in customers only answers every other
    visitor of a shop page with the sign-in page (which offers sign-up,
    "request access" or nothing, by the store's sign-up mode). Sign-in,
    sign-up and the back office are outside the storefront namespace and stay
    reachable. New storefront pages are closed by default."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.app_name != "storefront" or match.url_name in OPEN_PAGES:
            return None
        if shop_closed_to(request):
            return redirect_to_login(request.get_full_path())
        return None
