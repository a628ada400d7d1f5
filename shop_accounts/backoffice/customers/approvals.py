"""The approval queue as its own entry of the back office: the registrations
awaiting approval with the data given at sign-up, approved or declined in
bulk through the same steps as the buttons on the customer's page."""

from collections.abc import Callable
from datetime import datetime

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin

from shop_accounts.backoffice.customers import confirm
from shop_accounts.backoffice.customers.account_review import APPROVED, DECLINED, approve_one
from shop_accounts.backoffice.customers.steps import for_each_customer
from shop_accounts.backoffice.errors import message_for
from shop_accounts.backoffice.site import backoffice_site
from shop_accounts.conf import shop_settings
from shop_accounts.core.errors import DomainError
from shop_accounts.customers import queries
from shop_accounts.customers.models import Customer, PendingRegistration


@admin.register(PendingRegistration, site=backoffice_site)
class PendingRegistrationAdmin(ModelAdmin):
    """A view of the queue, not a place to edit: each row links to the
    customer's page, and the changes are the two bulk actions."""

    list_display = [
        "registrant",
        "email",
        "company_name",
        "vat_number",
        "phone",
        "store",
        "registered_at",
        "review_buttons",
    ]
    list_display_links = None
    list_filter = ["store"]
    search_fields = ["first_name", "last_name", "email", "company_name", "vat_number"]
    search_help_text = _("Search by name, email, company or VAT number.")
    ordering = ["created_at", "id"]  # first come, first served
    show_full_result_count = False
    actions = ["approve_registrations", "decline_registrations"]

    @property
    def list_per_page(self) -> int:
        """SHOP_CUSTOMERS_PER_PAGE, read per request (tests shorten it)."""
        return shop_settings.CUSTOMERS_PER_PAGE

    def get_queryset(self, request: HttpRequest) -> QuerySet[PendingRegistration]:
        return queries.pending_registrations()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: PendingRegistration | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: PendingRegistration | None = None
    ) -> bool:
        return False

    def has_view_permission(
        self, request: HttpRequest, obj: PendingRegistration | None = None
    ) -> bool:
        return request.user.has_perm("customers.view_customer")

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("customers.change_customer")

    @admin.display(description=_("name"), ordering="last_name")
    def registrant(self, registration: PendingRegistration) -> str:
        return format_html(
            '<a href="{}" id="registrant-{}">{}</a>',
            reverse("backoffice:customers_customer_change", args=[registration.pk]),
            registration.pk,
            registration.full_name or registration.email,
        )

    @admin.display(description=_("registered"), ordering="created_at")
    def registered_at(self, registration: PendingRegistration) -> datetime:
        return registration.created_at

    @admin.display(description=_("approve or decline"))
    def review_buttons(self, registration: PendingRegistration) -> str:
        # Inside the list's form, which carries the CSRF token: Approve posts
        # to its own address, whatever else the form holds; Decline opens the
        # confirmation page (a link: it asks for a reason first).
        return format_html(
            '<div class="review-buttons">'
            '<button type="submit" class="button primary" formaction="{}" formmethod="post"'
            ' aria-describedby="registrant-{}">{}</button> '
            '<a class="button" href="{}" aria-describedby="registrant-{}">{}</a></div>',
            reverse("backoffice:customers_pendingregistration_approve", args=[registration.pk]),
            registration.pk,
            _("Approve"),
            reverse("backoffice:customers_pendingregistration_decline", args=[registration.pk]),
            registration.pk,
            _("Decline"),
        )

    def get_urls(self) -> list[URLPattern]:
        mine = [
            path(
                f"<path:object_id>/{slug}/",
                self.admin_site.admin_view(self._review_view(step)),
                name=f"customers_pendingregistration_{slug}",
            )
            for slug, step in (("approve", approve_one),)
        ]
        decline = path(
            "<path:object_id>/decline/",
            self.admin_site.admin_view(self._decline_view),
            name="customers_pendingregistration_decline",
        )
        return [*mine, decline, *super().get_urls()]

    def _decline_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """GET: the confirmation page (nothing changes); POST: decline with the
        reason given, back to the queue."""
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        if not self.has_approve_permission(request):
            raise PermissionDenied
        registration = self.get_object(request, object_id)
        queue = reverse("backoffice:customers_pendingregistration_changelist")
        if registration is None:
            self.message_user(
                request, _("This registration no longer awaits approval."), messages.WARNING
            )
            return redirect(queue)
        return confirm.confirm_one(
            self, request, confirm.DECLINE, registration, cancel_url=queue, done_url=queue
        )

    def _review_view(
        self, step: Callable[[HttpRequest, Customer], str]
    ) -> Callable[..., HttpResponse]:
        def view(request: HttpRequest, object_id: str) -> HttpResponse:
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            if not self.has_approve_permission(request):
                raise PermissionDenied
            registration = self.get_object(request, object_id)
            if registration is None:
                # Approved or declined meanwhile: no longer in the queue.
                self.message_user(
                    request, _("This registration no longer awaits approval."), messages.WARNING
                )
            else:
                try:
                    done = step(request, registration)
                except DomainError as refused:
                    self.message_user(request, message_for(refused), messages.ERROR)
                else:
                    self.message_user(request, done, messages.SUCCESS)
            return redirect("backoffice:customers_pendingregistration_changelist")

        return view

    @admin.action(description=_("Approve the selected registrations"), permissions=["approve"])
    def approve_registrations(
        self, request: HttpRequest, registrations: QuerySet[Customer]
    ) -> None:
        self._report_gone(request, registrations)
        for_each_customer(self, request, registrations, approve_one, APPROVED)

    @admin.action(description=_("Decline the selected registrations"), permissions=["approve"])
    def decline_registrations(
        self, request: HttpRequest, registrations: QuerySet[Customer]
    ) -> HttpResponse | None:
        return confirm.confirm_bulk(
            self,
            request,
            confirm.DECLINE,
            registrations,
            action="decline_registrations",
            done=DECLINED,
            before=lambda: self._report_gone(request, registrations),
        )

    def _report_gone(self, request: HttpRequest, registrations: QuerySet[Customer]) -> None:
        # Selected on a page loaded before someone else approved or declined
        # them: the queue no longer holds them, and they were left alone.
        gone = len(set(request.POST.getlist(helpers.ACTION_CHECKBOX_NAME))) - len(registrations)
        if gone > 0:
            self.message_user(
                request,
                ngettext(
                    "%(count)d registration no longer awaits approval and was left alone.",
                    "%(count)d registrations no longer await approval and were left alone.",
                    gone,
                )
                % {"count": gone},
                messages.WARNING,
            )
