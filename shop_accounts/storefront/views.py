"""Shop pages and My Account. Views stay thin: parse, call, render."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from shop_accounts.catalog import pricing
from shop_accounts.catalog import queries as catalog_queries
from shop_accounts.customers import actions, queries
from shop_accounts.customers.errors import InvalidEmail
from shop_accounts.identity.allauth_internals import ratelimit
from shop_accounts.storefront.errors import add_domain_error
from shop_accounts.storefront.forms import ContactForm
from shop_accounts.storefront.policy import current_store, shows_prices, signed_in_customer

SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}

TOO_MANY_MESSAGES = _(
    "You have sent several messages in a short time. Please wait a few minutes and try again."
)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/pages/home.html")


PRODUCTS_PER_PAGE = 24


def catalog(request: HttpRequest) -> HttpResponse:
    """Published products, a page at a time, with prices only where the
    store's policy lets this visitor see them."""
    store = current_store(request)
    page = Paginator(catalog_queries.published_products(store), PRODUCTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    signed_in = signed_in_customer(request) is not None
    return render(
        request,
        "storefront/pages/catalog.html",
        {
            "page": page,
            "products": pricing.priced(list(page.object_list), store, signed_in=signed_in),
            "prices_shown": shows_prices(request),
        },
    )


def product(request: HttpRequest, slug: str) -> HttpResponse:
    store = current_store(request)
    found = catalog_queries.published_product(store, slug)
    if found is None:
        raise Http404
    signed_in = signed_in_customer(request) is not None
    (item,) = pricing.priced([found], store, signed_in=signed_in)
    return render(
        request,
        "storefront/pages/product.html",
        {"item": item, "prices_shown": shows_prices(request)},
    )


def cart(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/pages/cart.html")


@login_required
def my_account(request: HttpRequest) -> HttpResponse:
    customer = signed_in_customer(request)
    assert customer is not None  # login_required
    return render(
        request,
        "storefront/pages/my_account.html",
        {"customer": customer, "addresses": list(queries.addresses_for(customer))},
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the page language; a signed-in customer's emails follow it."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    customer = signed_in_customer(request)
    if customer is not None and language in SUPPORTED_LANGUAGES:
        actions.update_customer(customer, actor=customer, language=language)
        request.session["customer_language"] = language
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    """The contact form: the message lands on the customer record of the
    email (a new lead when the shop does not know it yet)."""
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            store = current_store(request)
            if not ratelimit.consume(
                request, action="contact", key=f"{store.pk}:{data['email'].lower()}"
            ):
                form.add_error(None, TOO_MANY_MESSAGES)
                return render(request, "storefront/pages/contact.html", {"form": form}, status=429)
            try:
                actions.record_contact_message(
                    store=store,
                    name=data["name"],
                    email=data["email"],
                    subject=data["subject"],
                    message=data["message"],
                    language=translation.get_language(),
                )
            except InvalidEmail as error:
                add_domain_error(form, error)
            else:
                return redirect("storefront:contact-sent")
        return render(request, "storefront/pages/contact.html", {"form": form}, status=400)
    return render(request, "storefront/pages/contact.html", {"form": form})


def contact_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/pages/contact_sent.html")
