"""Customers in the back office: the list, the record with its addresses,
event trail and contact messages, and invitations. Every save and every bulk
action calls the domain actions, so the audit trail and the rules are the same
as everywhere else."""

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from unfold.admin import ModelAdmin, StackedInline

from shop_accounts.backoffice import customer_groups
from shop_accounts.backoffice.customers import confirm, event_details
from shop_accounts.backoffice.customers.account_review import AccountReviewAdminMixin
from shop_accounts.backoffice.customers.forms import AddressForm, CustomerForm, InvitationForm
from shop_accounts.backoffice.customers.security import AccountSecurityAdminMixin
from shop_accounts.backoffice.customers.steps import for_each_customer, merchant_step
from shop_accounts.backoffice.errors import RefusalsAsMessages, message_for
from shop_accounts.backoffice.policy import acting_merchant
from shop_accounts.backoffice.site import backoffice_site
from shop_accounts.conf import shop_settings
from shop_accounts.core.errors import DomainError
from shop_accounts.customers import actions, queries
from shop_accounts.customers.models import Address, Customer
from shop_accounts.identity import invitations
from shop_accounts.orders import queries as order_queries

DEACTIVATED = ngettext_lazy(
    "%(count)d account deactivated.", "%(count)d accounts deactivated.", "count"
)
REACTIVATED = ngettext_lazy(
    "%(count)d account reactivated.", "%(count)d accounts reactivated.", "count"
)
# unfold's label colours for the account states.
STATE_COLOURS: dict[str, str] = {
    Customer.AccountState.ACTIVE: "success",
    Customer.AccountState.AWAITING_APPROVAL: "warning",
    Customer.AccountState.AWAITING_ACTIVATION: "warning",
    Customer.AccountState.INVITED: "primary",
    Customer.AccountState.DEACTIVATED: "danger",
}
EVENTS_SHOWN = 50
MESSAGES_SHOWN = 20
ORDERS_SHOWN = 20


def _label(text: Any, variant: str, css_class: str) -> str:
    return render_to_string(
        "unfold/helpers/label.html", {"text": text, "type": variant, "class": css_class}
    ).strip()


class AddressInline(StackedInline):
    model = Address
    form = AddressForm
    extra = 0
    fields = [
        ("company", "attention_of"),
        ("street", "house_number", "house_number_extension"),
        "address2",
        ("postal_code", "city"),
        ("region", "country"),
        "phone",
        ("use_for_billing", "use_for_shipping"),
        ("is_default_billing", "is_default_shipping"),
        "loaded_values",
    ]


@admin.register(Customer, site=backoffice_site)
class CustomerAdmin(
    RefusalsAsMessages, AccountSecurityAdminMixin, AccountReviewAdminMixin, ModelAdmin
):
    form = CustomerForm
    inlines = [AddressInline]

    # What a merchant scans a list for, narrow enough for 1280 px without
    # sideways scrolling: company and VAT number are on the page (and searched).
    list_display = [
        "display_name",
        "account_state_badge",
        "customer_type",
        "store",
        "last_sign_in",
        "created_at",
    ]
    list_filter = ["account_state", "customer_type", "store", "is_lead"]
    search_fields = ["first_name", "last_name", "email", "company_name", "vat_number"]
    search_help_text = _("Search by name, email, company or VAT number.")
    list_select_related = ["store"]
    show_full_result_count = False

    @property
    def list_per_page(self) -> int:
        """SHOP_CUSTOMERS_PER_PAGE, read per request (tests shorten it)."""
        return shop_settings.CUSTOMERS_PER_PAGE

    readonly_fields = [
        "account_state",
        "invitation",
        "marketing_consent",
        "created_at",
        "event_trail",
        "customer_orders",
        "contact_messages",
        "customer_group",
    ]
    actions = [
        "invite_to_open_account",
        "resend_invitations",
        "deactivate_accounts",
        "reactivate_accounts",
        "put_in_group",
    ]
    fieldsets = [
        (
            _("Personal information"),
            {
                "fields": [
                    "store",
                    "email",
                    ("first_name", "initials", "last_name"),
                    "loaded_values",
                ]
            },
        ),
        (
            _("Contact details"),
            {
                "fields": [
                    ("phone", "mobile"),
                    ("language", "gender", "birth_date"),
                    "accepts_marketing",
                    "marketing_consent",
                ]
            },
        ),
        (
            _("Customer type and company"),
            {
                "fields": [
                    "customer_type",
                    "company_name",
                    ("company_id_number", "coc_number", "vat_number"),
                    "country",
                ]
            },
        ),
        (_("Account"), {"fields": ["account_state", "invitation", "created_at"]}),
        (_("Discounts and payment"), {"fields": ["customer_group", "may_pay_by_invoice"]}),
        (_("Notes (only visible in the back office)"), {"fields": ["internal_notes"]}),
        (_("Contact form messages"), {"fields": ["contact_messages"]}),
        (_("Orders"), {"fields": ["customer_orders"]}),
        (_("History"), {"fields": ["event_trail"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Customer]:
        return queries.customers_for_backoffice()

    @admin.display(description=_("name or email"), ordering="last_name")
    def display_name(self, customer: Customer) -> str:
        # A sign-up may leave the name out (Store.signup_name_fields).
        return customer.full_name or customer.email

    @admin.display(description=_("account"), ordering="account_state")
    def account_state_badge(self, customer: Customer) -> str:
        # unfold's label, coloured by state; a lead from the contact form
        # carries a second one.
        badges = [
            _label(
                customer.get_account_state_display(),
                STATE_COLOURS.get(customer.account_state, ""),
                f"state-badge state-{customer.account_state}",
            )
        ]
        if customer.is_lead:
            badges.append(_label(_("Lead"), "info", "state-badge lead"))
        return SafeString(" ".join(badges))

    @admin.display(description=_("last sign-in"), ordering="last_login")
    def last_sign_in(self, customer: Customer) -> Any:
        # Django keeps last_login on the row at each sign-in: no query per row.
        return customer.last_login

    @admin.display(description=_("marketing consent"))
    def marketing_consent(self, customer: Customer) -> str:
        if not customer.marketing_consent_changed_at:
            return str(_("Never asked"))
        return format_html(
            "{} · {} · {}",
            _("Given") if customer.accepts_marketing else _("Withdrawn"),
            customer.get_marketing_consent_source_display(),
            # In the merchant's language and the shop's time zone.
            formats.date_format(
                timezone.localtime(customer.marketing_consent_changed_at), "SHORT_DATETIME_FORMAT"
            ),
        )

    @admin.display(description=_("events"))
    def event_trail(self, customer: Customer) -> SafeString:
        if not customer.pk:
            return SafeString("")
        return SafeString(
            render_to_string(
                "backoffice/customer_events.html",
                {
                    "events": event_details.describe_trail(
                        queries.events_for(customer)[:EVENTS_SHOWN]
                    ),
                    "limit": EVENTS_SHOWN,
                },
            )
        )

    @admin.display(description=_("orders"))
    def customer_orders(self, customer: Customer) -> SafeString:
        if not customer.pk:
            return SafeString("")
        return SafeString(
            render_to_string(
                "backoffice/customer_orders.html",
                {
                    "orders": order_queries.latest_orders_of(customer, ORDERS_SHOWN),
                    "limit": ORDERS_SHOWN,
                },
            )
        )

    @admin.display(description=_("messages"))
    def contact_messages(self, customer: Customer) -> SafeString:
        if not customer.pk:
            return SafeString("")
        return SafeString(
            render_to_string(
                "backoffice/customer_messages.html",
                {
                    "contact_messages": list(
                        queries.contact_messages_for(customer)[:MESSAGES_SHOWN]
                    ),
                    "is_lead": customer.is_lead,
                    "limit": MESSAGES_SHOWN,
                },
            )
        )

    def save_model(
        self, request: HttpRequest, obj: Customer, form: CustomerForm, change: bool
    ) -> None:
        data = form.cleaned_data
        actor = acting_merchant(request)
        if change:
            # Only what the merchant changed on the page; the action decides
            # which actions that takes (the same for My Account and the API).
            actions.edit_customer(
                obj,
                actor=actor,
                changes={
                    field: data[field]
                    for field in form.edited_fields()
                    if field in actions.EDIT_FIELDS
                },
                expected=form.expected_values(),
            )
        else:
            created = actions.create_customer(
                store=data["store"],
                email=data["email"],
                actor=actor,
                source="backoffice",
                accepts_marketing=bool(data.get("accepts_marketing")),
                **{field: data[field] for field in actions.EDITABLE_FIELDS if field in data},
            )
            obj.pk = created.pk
        obj.refresh_from_db()

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        customer = form.instance
        actor = acting_merchant(request)
        # What formset.save() would have set; the admin's history message reads it.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for address_form in formset.forms:
            if not address_form.has_changed() and address_form.instance.pk is None:
                continue
            data = {
                k: v for k, v in address_form.cleaned_data.items() if k in actions.ADDRESS_FIELDS
            }
            defaults = {
                "default_billing": address_form.cleaned_data.get("is_default_billing", False),
                "default_shipping": address_form.cleaned_data.get("is_default_shipping", False),
            }
            instance = address_form.instance
            if address_form.cleaned_data.get("DELETE") and instance.pk:
                actions.remove_address(instance, actor=actor)
                formset.deleted_objects.append(instance)
            elif instance.pk:
                edited = address_form.edited_fields()
                if edited:
                    changed = actions.update_address(
                        instance,
                        actor=actor,
                        expected=address_form.expected_values(),
                        **defaults,
                        **{field: value for field, value in data.items() if field in edited},
                    )
                    formset.changed_objects.append((changed, edited))
            elif data:
                added = actions.add_address(customer, actor=actor, **defaults, **data)
                formset.new_objects.append(added)

    @admin.action(description=_("Deactivate the selected accounts"))
    def deactivate_accounts(
        self, request: HttpRequest, customers: QuerySet[Customer]
    ) -> HttpResponse | None:
        return confirm.confirm_bulk(
            self,
            request,
            confirm.DEACTIVATE,
            customers,
            action="deactivate_accounts",
            done=DEACTIVATED,
        )

    @admin.display(description=_("customer group"))
    def customer_group(self, customer: Customer) -> SafeString:
        return customer_groups.group_summary(customer)

    @admin.action(description=_("Put in a customer group…"))
    def put_in_group(
        self, request: HttpRequest, customers: QuerySet[Customer]
    ) -> HttpResponse | None:
        return customer_groups.put_in_group_bulk(self, request, customers)

    @admin.action(description=_("Reactivate the selected accounts"))
    def reactivate_accounts(self, request: HttpRequest, customers: QuerySet[Customer]) -> None:
        for_each_customer(
            self, request, customers, merchant_step(actions.reactivate_account), REACTIVATED
        )

    # --- Invitations (identity/invitations.py) ------------------------------------------

    @admin.display(description=_("invitation"))
    def invitation(self, customer: Customer) -> SafeString:
        if not customer.pk:
            return SafeString("")
        button_label = {
            Customer.AccountState.NONE: _("Invite to open an account"),
            Customer.AccountState.INVITED: _("Send the invitation again"),
        }.get(customer.account_state)  # type: ignore[call-overload]
        return SafeString(
            render_to_string(
                "backoffice/customer_invitation.html",
                {
                    "invitation": invitations.latest_invitation(customer),
                    "button_label": button_label,
                    "invite_url": reverse(
                        "backoffice:customers_customer_invite", args=[customer.pk]
                    ),
                },
            )
        )

    def get_urls(self) -> list[URLPattern]:
        invite = path(
            "<path:object_id>/invite/",
            self.admin_site.admin_view(self.invite_view),
            name="customers_customer_invite",
        )
        group = path(
            "<path:object_id>/group/",
            self.admin_site.admin_view(customer_groups.put_in_group_view(self)),
            name="customers_customer_group",
        )
        return [invite, group, *super().get_urls()]

    def invite_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Invite one customer, or invite them again: the page shows the
        subject and message the store has for the customer's language, which
        the merchant may change for this invitation before sending it."""
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        customer = self.get_object(request, object_id)
        if customer is None or not self.has_change_permission(request, customer):
            raise Http404
        resend = customer.account_state == Customer.AccountState.INVITED
        subject, message = invitations.invitation_text(customer.store, customer.language)
        form = InvitationForm(
            request.POST or None, initial={"subject": subject, "message": message}
        )
        if request.method == "POST" and form.is_valid():
            try:
                invitations.invite_customer(
                    customer,
                    store=customer.store,
                    actor=acting_merchant(request),
                    subject=form.cleaned_data["subject"],
                    message=form.cleaned_data["message"],
                )
            except DomainError as refused:
                self.message_user(request, message_for(refused), messages.ERROR)
            else:
                done = (
                    _("The invitation was sent again to %(email)s.")
                    if resend
                    else _("An invitation was sent to %(email)s.")
                )
                self.message_user(request, done % {"email": customer.email}, messages.SUCCESS)
            return redirect("backoffice:customers_customer_change", customer.pk)
        title = (
            _("Send the invitation again to %(customer)s")
            if resend
            else _("Invite %(customer)s to open an account")
        ) % {"customer": customer}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": customer,
            "title": title,
            "form": form,
            "customer": customer,
            "language": dict(settings.LANGUAGES).get(customer.language, customer.language),
            "days": customer.store.invitation_days,
        }
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(request, "backoffice/customer_invite.html", context, status=status)

    @admin.action(description=_("Invite the selected customers to open an account"))
    def invite_to_open_account(self, request: HttpRequest, customers: QuerySet[Customer]) -> None:
        self._invite(request, customers, resend_only=False)

    @admin.action(description=_("Send the invitation again to the selected customers"))
    def resend_invitations(self, request: HttpRequest, customers: QuerySet[Customer]) -> None:
        self._invite(request, customers, resend_only=True)

    def _invite(
        self, request: HttpRequest, customers: QuerySet[Customer], *, resend_only: bool
    ) -> None:
        result = invitations.invite_customers(
            customers.order_by("pk"),
            actor=acting_merchant(request),
            resend_only=resend_only,
        )
        if result.invited:
            self.message_user(
                request,
                ngettext(
                    "%(count)d invitation sent.", "%(count)d invitations sent.", result.invited
                )
                % {"count": result.invited},
                messages.SUCCESS,
            )
        skipped = [
            (
                result.have_account,
                ngettext(
                    "%(count)d customer skipped: they already have an account.",
                    "%(count)d customers skipped: they already have an account.",
                    result.have_account,
                ),
            ),
            (
                result.without_email,
                ngettext(
                    "%(count)d customer skipped: no email address.",
                    "%(count)d customers skipped: no email address.",
                    result.without_email,
                ),
            ),
            (
                result.not_invited_yet,
                ngettext(
                    "%(count)d customer skipped: not invited yet, use “Invite” first.",
                    "%(count)d customers skipped: not invited yet, use “Invite” first.",
                    result.not_invited_yet,
                ),
            ),
        ]
        for count, text in skipped:
            if count:
                self.message_user(request, text % {"count": count}, messages.WARNING)
