"""Orders in the back office: the list, and one order's page with its lines,
totals, addresses, shipments and history. Orders are never edited as raw
fields: what the merchant does to an order (mark it paid, ship it, mark it
delivered, cancel or refund it) is a step with a small form or a
confirmation, and each step calls the order actions, so the rules and the
audit trail are the same as everywhere else."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin

from shop_accounts.backoffice.errors import add_domain_error, message_for
from shop_accounts.backoffice.policy import acting_merchant
from shop_accounts.backoffice.site import backoffice_site
from shop_accounts.core.errors import DomainError
from shop_accounts.orders import actions, queries
from shop_accounts.orders.errors import InvalidTracking
from shop_accounts.orders.models import Order, OrderEvent, OrderLine

Payment = Order.PaymentStatus
Fulfilment = Order.FulfilmentStatus
Kind = OrderEvent.Kind
EVENTS_SHOWN = 50
# unfold's label colours for the statuses.
PAYMENT_COLOURS: dict[str, str] = {
    Payment.PENDING: "warning",
    Payment.PAID: "success",
    Payment.PARTIALLY_REFUNDED: "info",
    Payment.REFUNDED: "info",
    Payment.CANCELLED: "danger",
}
FULFILMENT_COLOURS: dict[str, str] = {
    Fulfilment.UNFULFILLED: "warning",
    Fulfilment.PARTIALLY_SHIPPED: "info",
    Fulfilment.SHIPPED: "primary",
    Fulfilment.DELIVERED: "success",
}


def _label(text: Any, variant: str, css_class: str) -> str:
    return render_to_string(
        "unfold/helpers/label.html", {"text": text, "type": variant, "class": css_class}
    ).strip()


def _shippable(line: OrderLine) -> int:
    return 0 if line.refunded_quantity else line.quantity - line.shipped_quantity


class ConfirmForm(forms.Form):
    """A step with nothing to fill in: the button confirms it."""

    def __init__(self, *args: Any, order: Order, lines: list[OrderLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class CancelForm(ConfirmForm):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=500, widget=forms.Textarea
    )


class ShipForm(ConfirmForm):
    """What went in the parcel (how many of each line still to ship) and how
    to follow it. The action checks the tracking details."""

    carrier = forms.CharField(label=_("Carrier"), required=False)
    tracking_number = forms.CharField(label=_("Tracking number"), required=False)
    tracking_url = forms.CharField(label=_("Tracking link"), required=False)

    def __init__(self, *args: Any, order: Order, lines: list[OrderLine], **kwargs: Any) -> None:
        super().__init__(*args, order=order, lines=lines, **kwargs)
        self.line_fields: dict[str, int] = {}
        for line in lines:
            left = _shippable(line)
            if not left:
                continue
            name = f"line_{line.pk}"
            self.fields[name] = forms.IntegerField(
                label=_("%(name)s: how many (of %(left)s left)")
                % {"name": line.name, "left": left},
                min_value=0,
                max_value=left,
                initial=left,
            )
            self.line_fields[name] = line.pk

    def quantities(self) -> dict[int, int]:
        return {
            pk: self.cleaned_data[name]
            for name, pk in self.line_fields.items()
            if self.cleaned_data.get(name)
        }


class RefundForm(ConfirmForm):
    lines = forms.TypedMultipleChoiceField(
        label=_("Lines to refund"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, order: Order, lines: list[OrderLine], **kwargs: Any) -> None:
        super().__init__(*args, order=order, lines=lines, **kwargs)
        open_lines = [line for line in lines if line.refunded_quantity < line.quantity]
        field = self.fields["lines"]
        field.choices = [  # type: ignore[attr-defined]
            (line.pk, f"{line.quantity} × {line.name}") for line in open_lines
        ]
        field.initial = [line.pk for line in open_lines]


def _pay(request: HttpRequest, order: Order, form: forms.Form) -> str:
    actions.mark_paid(order, actor=acting_merchant(request))
    return gettext("Order %(number)s is marked as paid.") % {"number": order.number}


def _ship(request: HttpRequest, order: Order, form: forms.Form) -> str:
    assert isinstance(form, ShipForm)
    actions.ship(
        order,
        quantities=form.quantities(),
        carrier=form.cleaned_data["carrier"],
        tracking_number=form.cleaned_data["tracking_number"],
        tracking_url=form.cleaned_data["tracking_url"],
        actor=acting_merchant(request),
    )
    return gettext("A shipment of order %(number)s is recorded.") % {"number": order.number}


def _deliver(request: HttpRequest, order: Order, form: forms.Form) -> str:
    actions.mark_delivered(order, actor=acting_merchant(request))
    return gettext("Order %(number)s is marked as delivered.") % {"number": order.number}


def _cancel(request: HttpRequest, order: Order, form: forms.Form) -> str:
    actions.cancel(order, actor=acting_merchant(request), reason=form.cleaned_data["reason"])
    return gettext("Order %(number)s is cancelled.") % {"number": order.number}


def _refund(request: HttpRequest, order: Order, form: forms.Form) -> str:
    actions.refund(order, lines=form.cleaned_data["lines"], actor=acting_merchant(request))
    return gettext("The refund of order %(number)s is recorded.") % {"number": order.number}


# name → (button and page title, form, what it does, the submit button)
STEPS: dict[str, tuple[Any, type[ConfirmForm], Callable[..., str], Any]] = {
    "pay": (_("Mark as paid"), ConfirmForm, _pay, _("Mark as paid")),
    "ship": (_("Ship"), ShipForm, _ship, _("Record the shipment")),
    "deliver": (_("Mark as delivered"), ConfirmForm, _deliver, _("Mark as delivered")),
    "cancel": (_("Cancel the order"), CancelForm, _cancel, _("Cancel the order")),
    "refund": (_("Refund"), RefundForm, _refund, _("Record the refund")),
}


def steps_open(order: Order) -> list[str]:
    """The steps the order's statuses allow now (the actions decide again)."""
    open_steps = []
    if order.payment_status == Payment.PENDING:
        open_steps.append("pay")
    if order.fulfilment_status in (Fulfilment.UNFULFILLED, Fulfilment.PARTIALLY_SHIPPED) and (
        order.payment_status in (Payment.PAID, Payment.PARTIALLY_REFUNDED)
        or (
            order.payment_status == Payment.PENDING
            and order.payment_method != Order.PaymentMethod.BANK_TRANSFER
        )
    ):
        open_steps.append("ship")
    if order.fulfilment_status == Fulfilment.SHIPPED:
        open_steps.append("deliver")
    if (
        order.payment_status == Payment.PENDING
        and order.fulfilment_status == Fulfilment.UNFULFILLED
    ):
        open_steps.append("cancel")
    if order.payment_status in (Payment.PAID, Payment.PARTIALLY_REFUNDED):
        open_steps.append("refund")
    return open_steps


def describe(event: OrderEvent, lines: dict[int, OrderLine]) -> str:
    """An order event's details in the merchant's words."""
    data = event.data or {}

    def named(line_id: Any) -> str:
        line = lines.get(int(line_id))
        return line.name if line is not None else gettext("a removed line")

    if event.kind == Kind.PLACED:
        return gettext("Total %(total)s") % {"total": data.get("total", "")}
    if event.kind == Kind.SHIPPED:
        return ", ".join(
            f"{quantity} × {named(line_id)}" for line_id, quantity in data.get("lines", {}).items()
        )
    if event.kind == Kind.REFUNDED:
        return gettext("%(amount)s for %(lines)s") % {
            "amount": data.get("amount", ""),
            "lines": ", ".join(named(line_id) for line_id in data.get("lines", [])),
        }
    if event.kind == Kind.CANCELLED and data.get("reason"):
        return gettext("Reason: %(reason)s") % {"reason": data["reason"]}
    return ""


def _address_lines(address: dict[str, Any]) -> list[str]:
    if not address:
        return []
    street = " ".join(
        str(address.get(key, ""))
        for key in ("street", "house_number", "house_number_extension")
        if address.get(key)
    )
    town = " ".join(
        str(address.get(key, "")) for key in ("postal_code", "city") if address.get(key)
    )
    parts = [
        address.get("name", ""),
        address.get("company", ""),
        street,
        address.get("address2", ""),
        town,
        address.get("country", ""),
    ]
    return [str(part) for part in parts if part]


@admin.register(Order, site=backoffice_site)
class OrderAdmin(ModelAdmin):
    list_display = [
        "number",
        "created_at",
        "customer_name",
        "email",
        "total",
        "payment_badge",
        "fulfilment_badge",
    ]
    list_display_links = ["number"]
    list_filter = ["payment_status", "fulfilment_status", "store", "created_at"]
    search_fields = ["email", "customer__first_name", "customer__last_name"]
    search_help_text = _("Search by order number, email or name.")
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = ["overview", "lines_and_totals", "addresses", "history"]
    fieldsets = [
        (None, {"fields": ["overview"]}),
        (_("Lines and totals"), {"fields": ["lines_and_totals"]}),
        (_("Addresses"), {"fields": ["addresses"]}),
        (_("History"), {"fields": ["history"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Order]:
        return queries.orders_for_backoffice()

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Order], search_term: str
    ) -> tuple[QuerySet[Order], bool]:
        term = search_term.strip().lstrip("#")
        if term.isdigit() and len(term) < 10:
            return queryset.filter(Q(number=int(term))), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("customer"), ordering="customer__last_name")
    def customer_name(self, order: Order) -> str:
        return order.customer.full_name or str(order.billing_address.get("name", ""))

    @admin.display(description=_("total"), ordering="total_gross")
    def total(self, order: Order) -> str:
        return f"{order.total_gross} {order.currency}"

    @admin.display(description=_("payment"), ordering="payment_status")
    def payment_badge(self, order: Order) -> str:
        return SafeString(
            _label(
                order.get_payment_status_display(),
                PAYMENT_COLOURS.get(order.payment_status, ""),
                f"payment-badge payment-{order.payment_status}",
            )
        )

    @admin.display(description=_("shipping"), ordering="fulfilment_status")
    def fulfilment_badge(self, order: Order) -> str:
        return SafeString(
            _label(
                order.get_fulfilment_status_display(),
                FULFILMENT_COLOURS.get(order.fulfilment_status, ""),
                f"fulfilment-badge fulfilment-{order.fulfilment_status}",
            )
        )

    # The detail page: rendered once per page from what `_lines` loaded.
    def _lines(self, order: Order) -> list[OrderLine]:
        cached = getattr(order, "_backoffice_lines", None)
        if cached is None:
            cached = queries.lines_of(order)
            order._backoffice_lines = cached  # type: ignore[attr-defined]
        return cached

    @admin.display(description=_("order"))
    def overview(self, order: Order) -> SafeString:
        return SafeString(
            render_to_string(
                "backoffice/order_overview.html",
                {
                    "order": order,
                    "payment": self.payment_badge(order),
                    "fulfilment": self.fulfilment_badge(order),
                    "customer_url": reverse(
                        "backoffice:customers_customer_change", args=[order.customer_id]
                    ),
                    "steps": [
                        (
                            reverse(f"backoffice:orders_order_{name}", args=[order.pk]),
                            STEPS[name][0],
                        )
                        for name in steps_open(order)
                    ],
                },
            )
        )

    @admin.display(description=_("lines"))
    def lines_and_totals(self, order: Order) -> SafeString:
        return SafeString(
            render_to_string(
                "backoffice/order_lines.html",
                {
                    "order": order,
                    "lines": self._lines(order),
                    "shipments": queries.shipments_of(order),
                },
            )
        )

    @admin.display(description=_("addresses"))
    def addresses(self, order: Order) -> SafeString:
        return SafeString(
            render_to_string(
                "backoffice/order_addresses.html",
                {
                    "billing": _address_lines(order.billing_address),
                    "shipping": _address_lines(order.shipping_address),
                    "order": order,
                },
            )
        )

    @admin.display(description=_("events"))
    def history(self, order: Order) -> SafeString:
        lines = {line.pk: line for line in self._lines(order)}
        events = list(queries.events_for(order).order_by("-created_at", "-id")[:EVENTS_SHOWN])
        return SafeString(
            render_to_string(
                "backoffice/customer_events.html",
                {
                    "events": [(event, describe(event, lines)) for event in events],
                    "limit": EVENTS_SHOWN,
                },
            )
        )

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # Read only: nothing is saved from this page.
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        return super().changeform_view(request, object_id, form_url, context)

    def get_urls(self) -> list[URLPattern]:
        steps = [
            path(
                f"<path:object_id>/{name}/",
                self.admin_site.admin_view(self.step_view),
                {"step": name},
                name=f"orders_order_{name}",
            )
            for name in STEPS
        ]
        return [*steps, *super().get_urls()]

    def step_view(self, request: HttpRequest, object_id: str, step: str) -> HttpResponse:
        """One step on one order: GET shows its form or question, POST takes
        it; a refusal is told as a message (or at the form's field)."""
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        order = self.get_object(request, object_id)
        if order is None:
            raise Http404
        if not self.has_change_permission(request, order):
            raise PermissionDenied
        title, form_class, take, submit = STEPS[step]
        lines = queries.lines_of(order)
        order_url = reverse("backoffice:orders_order_change", args=[order.pk])
        data = request.POST if request.method == "POST" else None
        form = form_class(data, order=order, lines=lines)
        status = 200
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    done = take(request, order, form)
                except InvalidTracking as refused:
                    add_domain_error(form, refused)
                except DomainError as refused:
                    self.message_user(request, message_for(refused), messages.ERROR)
                    return redirect(order_url)
                else:
                    self.message_user(request, done, messages.SUCCESS)
                    return redirect(order_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": order,
            "title": f"{title} · {gettext('Order %(number)s') % {'number': order.number}}",
            "form": form,
            "order": order,
            "submit_label": submit,
            "cancel_url": order_url,
        }
        return TemplateResponse(request, "backoffice/order_step.html", context, status=status)
