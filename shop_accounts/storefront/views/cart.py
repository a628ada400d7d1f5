"""The cart page and its forms: add (from a product page), change a
quantity, remove a line. Plain POST forms with CSRF; no JavaScript needed.
A refusal shows the cart as it is, with the reason, and a 4xx status."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from shop_accounts.cart import actions, queries
from shop_accounts.cart.errors import CartError, NotInCart, UnknownProduct
from shop_accounts.storefront.carts import request_cart
from shop_accounts.storefront.policy import signed_in_customer
from shop_accounts.stores.context import request_store


@never_cache
@require_GET
def cart(request: HttpRequest) -> HttpResponse:
    """The visitor's cart: lines, prices as the store shows them (none where
    it hides them from guests), notes, subtotal, the way to the checkout.
    What a merge at sign-in changed is said here once."""
    return _cart_page(request, request_cart(request))


@require_POST
def add(request: HttpRequest) -> HttpResponse:
    """Add a product from its page (or a list); back to that page, saying so."""
    store = request_store(request)
    product = queries.product_to_add(store, request.POST.get("product", ""))
    if product is None:
        return _cart_page(request, request_cart(request), error=UnknownProduct())
    try:
        # A refused first add leaves no empty cart behind.
        with transaction.atomic():
            actions.add_to_cart(
                request_cart(request, create=True), product, request.POST.get("quantity", "")
            )
    except CartError as error:
        return _cart_page(request, request_cart(request), error=error)
    messages.success(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("Added to your cart."),
            reverse("storefront:cart"),
            _("View your cart"),
        ),
    )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("storefront:product", slug=product.slug)


@require_POST
def update(request: HttpRequest) -> HttpResponse:
    """Change the quantity of one line (0 removes it)."""
    found = request_cart(request)
    try:
        if found is None:
            raise NotInCart()
        actions.set_quantity(found, _product_id(request), request.POST.get("quantity", ""))
    except CartError as error:
        return _cart_page(request, found, error=error)
    messages.success(request, _("Your cart was updated."))
    return redirect("storefront:cart")


@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    """Take one line out of the cart."""
    found = request_cart(request)
    try:
        if found is None:
            raise NotInCart()
        actions.remove_line(found, _product_id(request))
    except CartError as error:
        return _cart_page(request, found, error=error)
    messages.success(request, _("The product was removed from your cart."))
    return redirect("storefront:cart")


def _product_id(request: HttpRequest) -> int:
    text = request.POST.get("product", "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise NotInCart()
    return int(text)


def _cart_page(request: HttpRequest, found, *, error: CartError | None = None) -> HttpResponse:
    contents = queries.cart_contents(found, request_store(request), signed_in_customer(request))
    if found is not None:
        actions.dismiss_notes(found)
    status = 200
    if error is not None:
        status = 404 if isinstance(error, UnknownProduct | NotInCart) else 400
    return render(
        request,
        "storefront/pages/cart.html",
        {
            "cart_contents": contents,
            "error": error,
            "error_product_id": getattr(error, "product_id", None),
        },
        status=status,
    )
