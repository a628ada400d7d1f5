"""The catalog and product pages, with prices only where the store's
policy lets this visitor see them."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from shop_accounts.catalog import pricing
from shop_accounts.catalog import queries as catalog_queries
from shop_accounts.storefront.policy import shows_prices, signed_in_customer
from shop_accounts.stores.context import request_store

PRODUCTS_PER_PAGE = 24


def catalog(request: HttpRequest) -> HttpResponse:
    """Published products, a page at a time, with prices only where the
    store's policy lets this visitor see them."""
    store = request_store(request)
    page = Paginator(catalog_queries.published_products(store), PRODUCTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    customer = signed_in_customer(request)
    return render(
        request,
        "storefront/pages/catalog.html",
        {
            "page": page,
            # A signed-in customer sees their customer group's prices.
            "products": pricing.priced(
                list(page.object_list), store, signed_in=customer is not None, customer=customer
            ),
            "prices_shown": shows_prices(request),
        },
    )


def product(request: HttpRequest, slug: str) -> HttpResponse:
    store = request_store(request)
    found = catalog_queries.published_product(store, slug)
    if found is None:
        raise Http404
    customer = signed_in_customer(request)
    (item,) = pricing.priced([found], store, signed_in=customer is not None, customer=customer)
    return render(
        request,
        "storefront/pages/product.html",
        {"item": item, "prices_shown": shows_prices(request)},
    )
