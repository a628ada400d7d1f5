"""What the merchant does to customers, one step at a time: a step is a
function `(request, customer) -> what the merchant is told`, taken for each
selected customer by a bulk action (`for_each_customer`) or for one customer
by a button on their page (`customer_button_view`). Every customer admin's
bulk actions and buttons go through these, so the messages and refusals are
the same everywhere."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import ngettext

from shop_accounts.backoffice.errors import message_for
from shop_accounts.backoffice.policy import acting_merchant
from shop_accounts.core.errors import DomainError
from shop_accounts.customers.models import Customer


def merchant_step(action: Callable[..., Any]) -> Callable[[HttpRequest, Customer], str]:
    """A customer action as a bulk step taken by the signed-in merchant."""

    def step(request: HttpRequest, customer: Customer) -> str:
        action(customer, actor=acting_merchant(request))
        return ""

    return step


def for_each_customer(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    customers: QuerySet[Customer],
    step: Callable[[HttpRequest, Customer], str],
    done: Any,
) -> None:
    """Take `step` for each selected customer (in primary-key order) and tell
    the merchant how many it was done for (`done`: an ngettext_lazy message
    counted by "count") and how many were skipped."""
    succeeded, refused = 0, 0
    for customer in customers.order_by("pk"):
        try:
            step(request, customer)
            succeeded += 1
        except DomainError:
            refused += 1
    if succeeded:
        model_admin.message_user(request, done % {"count": succeeded}, messages.SUCCESS)
    if refused:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d customer skipped: not possible in their account's current state.",
                "%(count)d customers skipped: not possible in their accounts' current state.",
                refused,
            )
            % {"count": refused},
            messages.WARNING,
        )


def customer_button_view(
    model_admin: admin.ModelAdmin, step: Callable[..., str]
) -> Callable[..., HttpResponse]:
    """A button on the customer page: POST only, staff who may change the
    customer only; `step(request, customer, **url_kwargs)` does the work
    and returns what the merchant is told; back to the customer page."""

    def view(request: HttpRequest, object_id: str, **kwargs: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        customer = model_admin.get_object(request, object_id)
        if customer is None or not model_admin.has_change_permission(request, customer):
            raise Http404
        try:
            done = step(request, customer, **kwargs)
        except DomainError as refused:
            model_admin.message_user(request, message_for(refused), messages.ERROR)
        else:
            model_admin.message_user(request, done, messages.SUCCESS)
        return redirect("backoffice:customers_customer_change", customer.pk)

    return view
