"""My Account: the signed-in customer's own pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shop_accounts.customers import queries
from shop_accounts.storefront.policy import signed_in_customer


@login_required
def my_account(request: HttpRequest) -> HttpResponse:
    customer = signed_in_customer(request)
    assert customer is not None  # login_required
    return render(
        request,
        "storefront/pages/my_account.html",
        {"customer": customer, "addresses": list(queries.addresses_for(customer))},
    )
