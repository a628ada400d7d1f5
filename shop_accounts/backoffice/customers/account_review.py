"""The customer page's account review: the approval queue (approve / decline,
in bulk from the list and with buttons on the customer's page) and the
merchant's "send password" (an emailed password-reset link). Mixed into
CustomerAdmin; every button and bulk action calls the domain action."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from unfold.admin import ModelAdmin

from shop_accounts.backoffice.customers import confirm
from shop_accounts.backoffice.customers.fieldsets import with_fieldset_after
from shop_accounts.backoffice.customers.steps import customer_button_view, for_each_customer
from shop_accounts.backoffice.policy import acting_merchant
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer
from shop_accounts.identity import actions as identity_actions

State = Customer.AccountState
# Where the customer page offers Deactivate (awaiting approval is declined instead).
DEACTIVATABLE = {State.ACTIVE, State.INVITED, State.AWAITING_ACTIVATION}
ACCOUNT_ACTIONS = ["approve_registrations", "decline_registrations", "send_password_resets"]

# What a bulk step tells the merchant: one whole sentence per step and number,
# so every language can make the words agree.
APPROVED = ngettext_lazy("%(count)d customer approved.", "%(count)d customers approved.", "count")
DECLINED = ngettext_lazy("%(count)d customer declined.", "%(count)d customers declined.", "count")
RESET_SENT = ngettext_lazy(
    "%(count)d customer was sent a password-reset link.",
    "%(count)d customers were sent a password-reset link.",
    "count",
)


class AccountReviewAdminMixin(ModelAdmin):
    """Approve, decline and "send password" for CustomerAdmin. The approval
    queue is the list filtered on the account state "Awaiting approval"."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_readonly_fields(request, obj), "account_review"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None or not obj.pk:
            return fieldsets
        # Right after the fieldset that shows the account state.
        return with_fieldset_after(
            fieldsets,
            {"account_state"},
            (_("Registration and password"), {"fields": ["account_review"]}),
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # After the admin's own bulk actions in the list's action menu.
        own: list[Any] = list(getattr(self, "actions", None) or [])
        self.actions = [*own, *ACCOUNT_ACTIONS]

    def get_urls(self) -> list[URLPattern]:
        mine = [
            path(
                f"<path:object_id>/{slug}/",
                self.admin_site.admin_view(customer_button_view(self, action)),
                name=f"customers_customer_{slug.replace('-', '_')}",
            )
            for slug, action in (
                ("approve", self._approve),
                ("send-password-reset", self._send_password_reset),
            )
        ]
        # Decline and deactivate ask first: GET shows the confirmation page.
        asking = [
            path(
                f"<path:object_id>/{slug}/",
                self.admin_site.admin_view(self._ask_first_view(ask)),
                name=f"customers_customer_{slug}",
            )
            for slug, ask in (("decline", confirm.DECLINE), ("deactivate", confirm.DEACTIVATE))
        ]
        return [*mine, *asking, *super().get_urls()]

    def _ask_first_view(self, ask: confirm.AskFirst) -> Callable[..., HttpResponse]:
        def view(request: HttpRequest, object_id: str) -> HttpResponse:
            if request.method not in ("GET", "POST"):
                return HttpResponseNotAllowed(["GET", "POST"])
            customer = self.get_object(request, object_id)
            if customer is None or not self.has_change_permission(request, customer):
                raise Http404
            page = reverse("backoffice:customers_customer_change", args=[customer.pk])
            return confirm.confirm_one(self, request, ask, customer, cancel_url=page, done_url=page)

        return view

    @admin.display(description=_("account"))
    def account_review(self, customer: Customer) -> SafeString:
        if not customer.pk:
            return SafeString("")
        return SafeString(
            render_to_string(
                "backoffice/customer_account_review.html",
                {
                    "customer": customer,
                    "awaiting_approval": customer.account_state == State.AWAITING_APPROVAL,
                    "can_reset_password": customer.is_active and not customer.is_staff,
                    "approve_url": reverse(
                        "backoffice:customers_customer_approve", args=[customer.pk]
                    ),
                    "decline_url": reverse(
                        "backoffice:customers_customer_decline", args=[customer.pk]
                    ),
                    "can_deactivate": customer.account_state in DEACTIVATABLE
                    and not customer.is_staff,
                    "deactivate_url": reverse(
                        "backoffice:customers_customer_deactivate", args=[customer.pk]
                    ),
                    "reset_url": reverse(
                        "backoffice:customers_customer_send_password_reset", args=[customer.pk]
                    ),
                },
            )
        )

    # --- the three steps, for one customer -------------------------------------------

    def _approve(self, request: HttpRequest, customer: Customer) -> str:
        return approve_one(request, customer)

    def _send_password_reset(self, request: HttpRequest, customer: Customer) -> str:
        identity_actions.send_password_reset(customer, actor=acting_merchant(request))
        return str(_("A password-reset link was sent to %(email)s.")) % {"email": customer.email}

    # --- bulk actions from the customer list ------------------------------------------

    @admin.action(description=_("Approve the selected registrations"))
    def approve_registrations(self, request: HttpRequest, customers: QuerySet[Customer]) -> None:
        self._each(request, customers, self._approve, APPROVED)

    @admin.action(description=_("Decline the selected registrations"))
    def decline_registrations(
        self, request: HttpRequest, customers: QuerySet[Customer]
    ) -> HttpResponse | None:
        return confirm.confirm_bulk(
            self,
            request,
            confirm.DECLINE,
            customers,
            action="decline_registrations",
            done=DECLINED,
        )

    @admin.action(description=_("Send a password-reset link to the selected customers"))
    def send_password_resets(self, request: HttpRequest, customers: QuerySet[Customer]) -> None:
        self._each(request, customers, self._send_password_reset, RESET_SENT)

    def _each(
        self,
        request: HttpRequest,
        customers: QuerySet[Customer],
        step: Callable[[HttpRequest, Customer], str],
        done: Any,
    ) -> None:
        for_each_customer(self, request, customers, step, done)


def approve_one(request: HttpRequest, customer: Customer) -> str:
    """Approve one registration as the signed-in merchant; what to tell them."""
    actions.approve_registration(customer, actor=acting_merchant(request))
    return str(_("%(email)s is approved and has been emailed.")) % {"email": customer.email}
