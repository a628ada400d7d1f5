"""The cart page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def cart(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/pages/cart.html")
