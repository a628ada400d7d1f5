"""Steps that ask first: Decline and Deactivate show a confirmation page
that names the customer(s) and takes an optional reason, and only its POST
(with CSRF) does anything. The same page serves a button on the customer's
page, a row button of the approval queue and the bulk actions of both lists
(the bulk page posts back to the list's action, like Django's own "delete
selected")."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shop_accounts.backoffice.customers.forms import ReasonForm
from shop_accounts.backoffice.customers.steps import for_each_customer
from shop_accounts.backoffice.errors import message_for
from shop_accounts.backoffice.policy import acting_merchant
from shop_accounts.core.errors import DomainError
from shop_accounts.customers.models import Customer
from shop_accounts.identity import actions as identity_actions

CONFIRMED = "confirmed"  # the POST field that says the page was confirmed
NAMES_SHOWN = 50


@dataclass(frozen=True)
class AskFirst:
    """A step that asks first: its words and what it does for one customer
    with the reason given (returning what the merchant is told)."""

    title: Promise
    question: Callable[[int], str]
    confirm_label: Promise
    reason_help: Promise
    step: Callable[[HttpRequest, Customer, str], str]


def decline_one(request: HttpRequest, customer: Customer, reason: str = "") -> str:
    """Decline one registration as the signed-in merchant; what to tell them."""
    identity_actions.decline_registration(customer, actor=acting_merchant(request), reason=reason)
    return str(_("The registration of %(email)s is declined; they have been emailed.")) % {
        "email": customer.email
    }


def deactivate_one(request: HttpRequest, customer: Customer, reason: str = "") -> str:
    """Deactivate one account as the signed-in merchant; what to tell them."""
    identity_actions.deactivate_account(customer, actor=acting_merchant(request), reason=reason)
    return str(_("The account of %(email)s was deactivated; they are signed out.")) % {
        "email": customer.email
    }


DECLINE = AskFirst(
    title=_("Decline registration"),
    question=lambda count: (
        ngettext(
            "Decline this registration? The customer is emailed that it was declined.",
            "Decline these %(count)d registrations? Each customer is emailed that it was declined.",
            count,
        )
        % {"count": count}
    ),
    confirm_label=_("Yes, decline"),
    reason_help=_("Told to the customer in the email, as you write it, and kept on the history."),
    step=decline_one,
)
DEACTIVATE = AskFirst(
    title=_("Deactivate account"),
    question=lambda count: (
        ngettext(
            "Deactivate this account? The customer is signed out and can no longer sign in.",
            "Deactivate these %(count)d accounts? The customers are signed out and can no longer"
            " sign in.",
            count,
        )
        % {"count": count}
    ),
    confirm_label=_("Yes, deactivate"),
    reason_help=_("Kept on the customer's history; not sent to the customer."),
    step=deactivate_one,
)


def _page(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    ask: AskFirst,
    customers: list[Customer],
    form: ReasonForm,
    *,
    cancel_url: str,
    selected: list[Customer] | None = None,
    action: str = "",
) -> TemplateResponse:
    context: dict[str, Any] = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": ask.title,
        "question": ask.question(len(customers)),
        "confirm_label": ask.confirm_label,
        "customers": customers[:NAMES_SHOWN],
        "more": max(0, len(customers) - NAMES_SHOWN),
        "form": form,
        "cancel_url": cancel_url,
        "action": action,
        "selected": selected or [],
        "checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "confirmed_name": CONFIRMED,
    }
    status = 400 if form.is_bound else 200
    return TemplateResponse(
        request, "backoffice/customer_confirm_step.html", context, status=status
    )


def confirm_one(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    ask: AskFirst,
    customer: Customer,
    *,
    cancel_url: str,
    done_url: str,
) -> HttpResponse:
    """GET: the confirmation page (nothing changes). POST: the step, with the
    reason given, then back to `done_url`."""
    if request.method != "POST":
        return _page(
            model_admin,
            request,
            ask,
            [customer],
            ReasonForm(help_text=ask.reason_help),
            cancel_url=cancel_url,
        )
    form = ReasonForm(request.POST, help_text=ask.reason_help)
    if not form.is_valid():
        return _page(model_admin, request, ask, [customer], form, cancel_url=cancel_url)
    try:
        done = ask.step(request, customer, form.cleaned_data["reason"])
    except DomainError as refused:
        model_admin.message_user(request, message_for(refused), messages.ERROR)
    else:
        model_admin.message_user(request, done, messages.SUCCESS)
    return redirect(done_url)


def confirm_bulk(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    ask: AskFirst,
    customers: QuerySet[Customer],
    *,
    action: str,
    done: Any,
    before: Callable[[], None] | None = None,
) -> HttpResponse | None:
    """A bulk action that asks first: the first POST (from the list) shows
    the confirmation page; its POST back (CONFIRMED) takes the step for each
    selected customer and returns None, so the admin goes back to the list.
    `before` runs only then (e.g. telling who was left alone)."""
    chosen = list(customers.order_by("pk"))
    cancel_url = request.get_full_path()
    if not chosen:
        # All of them changed meanwhile (e.g. left the queue): nothing to ask.
        if before is not None:
            before()
        return None
    confirmed = CONFIRMED in request.POST
    form = ReasonForm(request.POST if confirmed else None, help_text=ask.reason_help)
    if not confirmed or not form.is_valid():
        return _page(
            model_admin,
            request,
            ask,
            chosen,
            form,
            cancel_url=cancel_url,
            selected=chosen,
            action=action,
        )
    if before is not None:
        before()
    reason = form.cleaned_data["reason"]
    for_each_customer(
        model_admin,
        request,
        customers,
        lambda request, customer: ask.step(request, customer, reason),
        done,
    )
    return None
