"""Back-office screens. Every save and every bulk action calls the domain
actions, so the audit trail and the rules are the same as everywhere else."""

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from django.views.decorators.debug import sensitive_post_parameters

from shop_accounts.backoffice import event_details
from shop_accounts.backoffice.account_admin import AccountReviewAdminMixin, for_each_customer
from shop_accounts.backoffice.errors import message_for
from shop_accounts.backoffice.forms import AddressForm, CustomerForm, InvitationForm, StoreForm
from shop_accounts.backoffice.policy import acting_merchant, is_merchant
from shop_accounts.backoffice.security_admin import AccountSecurityAdminMixin
from shop_accounts.backoffice.site import backoffice_site
from shop_accounts.conf import shop_settings
from shop_accounts.core.errors import DomainError
from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import retry_email_now
from shop_accounts.customers import actions, queries
from shop_accounts.customers.models import Address, Customer
from shop_accounts.identity import actions as identity_actions
from shop_accounts.identity import invitations
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import EmailText, Store

DEACTIVATED = ngettext_lazy(
    "%(count)d account deactivated.", "%(count)d accounts deactivated.", "count"
)
REACTIVATED = ngettext_lazy(
    "%(count)d account reactivated.", "%(count)d accounts reactivated.", "count"
)
EVENTS_SHOWN = 50
MESSAGES_SHOWN = 20


class AddressInline(admin.StackedInline):
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


def _step(action):
    """A customer action as a bulk step taken by the signed-in merchant."""

    def step(request: HttpRequest, customer: Customer) -> str:
        action(customer, actor=acting_merchant(request))
        return ""

    return step


@admin.register(Customer, site=backoffice_site)
class CustomerAdmin(AccountSecurityAdminMixin, AccountReviewAdminMixin, admin.ModelAdmin):
    form = CustomerForm
    inlines = [AddressInline]

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # The forms refuse an edit of a field someone else changed since the
        # page was loaded, or an email the realm already holds; one saved in
        # the moment between that check and the save is caught by the actions
        # under the row lock (EditConflict, EmailTaken), and the whole save is
        # rolled back (admin saves run in one transaction).
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as refused:
            messages.error(request, message_for(refused))
            return redirect(request.path)

    list_display = [
        "display_name",
        "email",
        "company_name",
        "store",
        "account_state_badge",
        "customer_type",
        "last_sign_in",
        "lead_marker",
        "created_at",
    ]
    list_filter = ["account_state", "customer_type", "store", "is_lead"]
    search_fields = ["first_name", "last_name", "email", "company_name", "vat_number"]
    search_help_text = _("Search by name, email, company or VAT number.")
    list_select_related = ["store"]
    show_full_result_count = False

    @property
    def list_per_page(self) -> int:  # type: ignore[override]
        """SHOP_CUSTOMERS_PER_PAGE, read per request (tests shorten it)."""
        return shop_settings.CUSTOMERS_PER_PAGE

    readonly_fields = [
        "account_state",
        "invitation",
        "marketing_consent",
        "created_at",
        "event_trail",
        "contact_messages",
    ]
    actions = [
        "invite_to_open_account",
        "resend_invitations",
        "deactivate_accounts",
        "reactivate_accounts",
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
                ]
            },
        ),
        (_("Account"), {"fields": ["account_state", "invitation", "created_at"]}),
        (_("Notes (only visible in the back office)"), {"fields": ["internal_notes"]}),
        (_("Contact form messages"), {"fields": ["contact_messages"]}),
        (_("History"), {"fields": ["event_trail"]}),
    ]

    class Media:
        css = {"all": ["shop_accounts/backoffice.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Customer]:
        return queries.customers_for_backoffice()

    @admin.display(description=_("name"), ordering="last_name")
    def display_name(self, customer: Customer) -> str:
        return customer.full_name or "—"

    @admin.display(description=_("account"), ordering="account_state")
    def account_state_badge(self, customer: Customer) -> str:
        return format_html(
            '<span class="state-badge state-{}">{}</span>',
            customer.account_state,
            customer.get_account_state_display(),
        )

    @admin.display(description=_("last sign-in"), ordering="last_login")
    def last_sign_in(self, customer: Customer) -> Any:
        # Django keeps last_login on the row at each sign-in: no query per row.
        return customer.last_login

    @admin.display(description=_("lead"), ordering="is_lead")
    def lead_marker(self, customer: Customer) -> str:
        if not customer.is_lead:
            return ""
        return format_html('<span class="state-badge lead">{}</span>', _("Lead"))

    @admin.display(description=_("marketing consent"))
    def marketing_consent(self, customer: Customer) -> str:
        if not customer.marketing_consent_changed_at:
            return str(_("Never asked"))
        return format_html(
            "{} · {} · {}",
            _("Given") if customer.accepts_marketing else _("Withdrawn"),
            customer.get_marketing_consent_source_display(),
            customer.marketing_consent_changed_at.strftime("%Y-%m-%d %H:%M"),
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
    def deactivate_accounts(self, request: HttpRequest, customers: QuerySet[Customer]) -> None:
        for_each_customer(
            self, request, customers, _step(identity_actions.deactivate_account), DEACTIVATED
        )

    @admin.action(description=_("Reactivate the selected accounts"))
    def reactivate_accounts(self, request: HttpRequest, customers: QuerySet[Customer]) -> None:
        for_each_customer(self, request, customers, _step(actions.reactivate_account), REACTIVATED)

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
        return [invite, *super().get_urls()]

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


@admin.register(Store, site=backoffice_site)
class StoreAdmin(admin.ModelAdmin):
    form = StoreForm
    list_display = [
        "name",
        "hostname",
        "is_default",
        "signup_mode",
        "checkout_accounts",
        "shares_accounts",
    ]
    fieldsets = [
        (
            _("Store"),
            {
                "fields": [
                    "name",
                    "hostname",
                    "is_default",
                    ("default_language", "currency", "prices_include_tax"),
                    "email_from",
                ]
            },
        ),
        (
            _("Account policy"),
            {
                "fields": [
                    "checkout_accounts",
                    ("signup_mode", "signup_without_password"),
                    ("shop_visibility", "guest_prices"),
                    "show_account_link",
                    "shares_accounts",
                ]
            },
        ),
        (
            _("Sign-in"),
            {
                "fields": [
                    ("signin_with_password", "signin_with_link"),
                    ("signin_with_code", "signin_with_passkey"),
                    "two_factor",
                    "min_password_length",
                    ("signin_link_days", "invitation_days"),
                ]
            },
        ),
        (
            _("Form protection (CAPTCHA)"),
            {
                "fields": [
                    "captcha_provider",
                    "captcha_site_key",
                    ("new_captcha_secret_key", "clear_captcha_secret_key"),
                    "captcha_min_score",
                    ("captcha_on_signin", "captcha_on_signup", "captcha_on_password_reset"),
                    ("captcha_on_token_request", "captcha_on_contact"),
                ]
            },
        ),
    ]

    # A failure while saving must not put the secret key into an error report.
    @method_decorator(sensitive_post_parameters("new_captcha_secret_key"))
    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request: HttpRequest, obj: Store, form: StoreForm, change: bool) -> None:
        data = dict(form.cleaned_data)
        shares = data.pop("shares_accounts")
        if not change:
            created = store_actions.create_store(shares_accounts=shares, **data)
            obj.pk = created.pk
        else:
            store_actions.update_store(obj, **data)
            actions.set_account_sharing(obj, shares_accounts=shares, actor=acting_merchant(request))
        obj.refresh_from_db()

    def has_delete_permission(self, request: HttpRequest, obj: Store | None = None) -> bool:
        return False


@admin.register(OutboundEmail, site=backoffice_site)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "subject", "language", "status", "attempts", "store"]
    list_filter = ["status", "store", "kind"]
    search_fields = ["recipient", "subject"]
    list_select_related = ["store"]
    show_full_result_count = False
    actions = ["send_again"]
    fields = readonly_fields = (
        "created_at",
        "store",
        "kind",
        "from_email",
        "recipient",
        "reply_to",
        "language",
        "subject",
        "readable_body",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboundEmail | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: OutboundEmail | None = None) -> bool:
        return is_merchant(request.user)

    @admin.display(description=_("message"))
    def readable_body(self, email: OutboundEmail) -> SafeString:
        # Links in the text body are clickable, so the demo's emails can be
        # followed from here (sign-in links, resets, invitations).
        # urlize escapes the text around the links itself (autoescape=True)
        # but returns a plain str, which format_html would escape again.
        linked = mark_safe(urlize(email.body_text, autoescape=True))  # noqa: S308
        return format_html('<div class="email-body">{}</div>', linked)

    @admin.action(description=_("Send the selected emails again"))
    def send_again(self, request: HttpRequest, emails: QuerySet[OutboundEmail]) -> None:
        queued = sum(retry_email_now(email) for email in emails)
        skipped = len(emails) - queued
        if queued:
            self.message_user(
                request,
                ngettext(
                    "%(count)d email is queued again.", "%(count)d emails are queued again.", queued
                )
                % {"count": queued},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d email was sent already and is not sent twice.",
                    "%(count)d emails were sent already and are not sent twice.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


@admin.register(EmailText, site=backoffice_site)
class EmailTextAdmin(admin.ModelAdmin):
    """The merchant's own wording of emails (the account invitation, the
    answers to a registration), per store and language; where there is none,
    the shop's standard text in the customer's language is sent."""

    list_display = ["store", "kind", "language", "subject"]
    list_filter = ["store", "kind", "language"]
    list_select_related = ["store"]
    fields = ["store", "kind", "language", "subject", "message"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """A new invitation text starts from the standard one, so the merchant
        edits rather than writes from nothing."""
        initial: dict[str, Any] = dict(super().get_changeform_initial_data(request))
        chosen = str(initial.get("store") or "")
        store = (Store.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None) or (
            Store.objects.filter(is_default=True).first()
        )
        language = str(initial.get("language") or (store.default_language if store else "en"))
        initial.setdefault("kind", EmailText.Kind.INVITATION)
        if store is not None and initial["kind"] == EmailText.Kind.INVITATION:
            subject, message = invitations.default_invitation_text(store, language)
            initial.setdefault("store", store.pk)
            initial.setdefault("language", language)
            initial.setdefault("subject", subject)
            initial.setdefault("message", message)
        return initial

    def save_model(self, request: HttpRequest, obj: EmailText, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = store_actions.set_email_text(
            store=data["store"],
            kind=data["kind"],
            language=data["language"],
            subject=data["subject"],
            message=data["message"],
            email_text=obj if change else None,
        )
        obj.pk = saved.pk
