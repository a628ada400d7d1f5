"""Customer groups in the back office: the groups of each store (name,
discount, pay by invoice) with their fixed prices inline (product chosen by
autocomplete), the group per store on the customer's page, and "Put in
group…" for one customer or many. Every save calls `catalog.groups`, so the
trail and the rules are the same as everywhere else."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin, StackedInline
from unfold.forms import PaginationInlineFormSet

from shop_accounts.backoffice.errors import RefusalsAsMessages, add_domain_error, message_for
from shop_accounts.backoffice.policy import acting_merchant
from shop_accounts.backoffice.site import backoffice_site
from shop_accounts.catalog import groups
from shop_accounts.catalog import queries as catalog_queries
from shop_accounts.catalog.errors import GroupNameTaken, ProductOfAnotherStore
from shop_accounts.catalog.models import CustomerGroup, GroupPrice
from shop_accounts.core.errors import DomainError
from shop_accounts.customers.models import Customer
from shop_accounts.stores.models import Store

CONFIRMED = "confirmed"  # the POST field that says the choice page was sent
NAMES_SHOWN = 50


class CustomerGroupForm(forms.ModelForm):
    class Meta:
        model = CustomerGroup
        fields = ["store", "name", "discount_percent", "may_pay_by_invoice"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "store" in self.fields:
            # Its members and fixed prices are of this store.
            self.fields["store"].disabled = True

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        store, name = cleaned.get("store"), (cleaned.get("name") or "").strip()
        if store and name:
            taken = CustomerGroup.objects.filter(store=store, name__iexact=name)
            if taken.exclude(pk=self.instance.pk).exists():
                self.add_error("name", GroupNameTaken.message)
        return cleaned


class GroupPriceForm(forms.ModelForm):
    class Meta:
        model = GroupPrice
        fields = ["product", "price"]

    def validate_unique(self) -> None:
        # Two rows for one product: the formset's own check names it.
        pass


class GroupPriceFormSet(PaginationInlineFormSet):
    def clean(self) -> None:
        """Each product once, and of the group's store (the group is this
        formset's instance, saved or about to be)."""
        super().clean()
        seen: set[int] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            product = data.get("product")
            if product is None or data.get("DELETE"):
                continue
            if product.store_id != self.instance.store_id:
                form.add_error("product", ProductOfAnotherStore.message)
            elif product.pk in seen:
                form.add_error("product", _("This product already has a fixed price above."))
            seen.add(product.pk)


class GroupPriceInline(StackedInline):
    model = GroupPrice
    form = GroupPriceForm
    formset = GroupPriceFormSet
    extra = 1
    autocomplete_fields = ["product"]
    fields = [("product", "price")]
    verbose_name = _("fixed price")
    verbose_name_plural = _("fixed prices (they replace the discount for their product)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[GroupPrice]:
        return super().get_queryset(request).select_related("product")


@admin.register(CustomerGroup, site=backoffice_site)
class CustomerGroupAdmin(RefusalsAsMessages, ModelAdmin):
    form = CustomerGroupForm
    inlines = [GroupPriceInline]
    list_display = ["name", "store", "discount", "pay_by_invoice", "members", "fixed_prices"]
    list_filter = ["store"]
    search_fields = ["name"]
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[CustomerGroup]:
        return catalog_queries.customer_groups_for_backoffice()

    @admin.display(description=_("discount"), ordering="discount_percent")
    def discount(self, group: CustomerGroup) -> str:
        return f"{group.discount_percent.normalize():f} %"

    @admin.display(description=_("may pay by invoice"), ordering="may_pay_by_invoice")
    def pay_by_invoice(self, group: CustomerGroup) -> str:
        # Words, not unfold's icon (which screen readers read as "True"/"False").
        return str(_("Yes") if group.may_pay_by_invoice else _("No"))

    @admin.display(description=_("members"), ordering="member_count")
    def members(self, group: CustomerGroup) -> int:
        return group.member_count  # type: ignore[attr-defined]

    @admin.display(description=_("fixed prices"), ordering="price_count")
    def fixed_prices(self, group: CustomerGroup) -> int:
        return group.price_count  # type: ignore[attr-defined]

    def save_model(
        self, request: HttpRequest, obj: CustomerGroup, form: forms.ModelForm, change: bool
    ) -> None:
        data = form.cleaned_data
        if change:
            edited = {f: data[f] for f in form.changed_data if f in groups.GROUP_FIELDS}
            if edited:
                groups.update_customer_group(obj, **edited)
        else:
            created = groups.create_customer_group(
                data["store"],
                name=data["name"],
                discount_percent=data["discount_percent"],
                may_pay_by_invoice=data["may_pay_by_invoice"],
            )
            obj.pk = created.pk
        obj.refresh_from_db()

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        group = form.instance
        # What formset.save() would have set; the admin's history message reads it.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for price_form in formset.forms:
            data = getattr(price_form, "cleaned_data", None) or {}
            instance = price_form.instance
            if data.get("DELETE"):
                if instance.pk:
                    groups.remove_group_price(group, instance.product)
                    formset.deleted_objects.append(instance)
                continue
            if not price_form.has_changed() or data.get("product") is None:
                continue
            if instance.pk and instance.product_id != data["product"].pk:
                # Another product chosen on an existing row: its old price goes.
                groups.remove_group_price(group, GroupPrice.objects.get(pk=instance.pk).product)
            saved = groups.set_group_price(group, data["product"], data["price"])
            if instance.pk:
                formset.changed_objects.append((saved, price_form.changed_data))
            else:
                formset.new_objects.append(saved)

    def delete_model(self, request: HttpRequest, obj: CustomerGroup) -> None:
        groups.delete_customer_group(obj, actor=acting_merchant(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CustomerGroup]) -> None:
        for group in queryset.order_by("pk"):
            groups.delete_customer_group(group, actor=acting_merchant(request))


# --- On the customer's page and the customer list ------------------------------------


def group_summary(customer: Customer) -> SafeString:
    """The customer's group in each store of their realm that has groups, and
    a link to change it (two queries)."""
    if not customer.pk:
        return SafeString("")
    memberships = {m.store_id: m.group for m in catalog_queries.memberships_of(customer)}
    stores = Store.objects.filter(
        account_realm_id=customer.realm_id, customer_groups__isnull=False
    ).distinct()
    rows = [(store, memberships.get(store.pk)) for store in stores.order_by("name", "pk")]
    return SafeString(
        render_to_string(
            "backoffice/customer_groups_summary.html",
            {
                "rows": rows,
                "change_url": reverse("backoffice:customers_customer_group", args=[customer.pk]),
                "groups_url": reverse("backoffice:catalog_customergroup_changelist"),
            },
        )
    )


@dataclass(frozen=True)
class Choice:
    """What the merchant chose on the page: a group of `store`, or none."""

    store: Store
    group: CustomerGroup | None


class GroupChoiceForm(forms.Form):
    """A group of one of the stores, or "No group" in one of them."""

    choice = forms.ChoiceField(label=_("Customer group"))

    def __init__(self, *args: Any, stores: list[Store], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # our labels end without a colon
        super().__init__(*args, **kwargs)
        by_store: dict[int, list[CustomerGroup]] = {}
        for group in CustomerGroup.objects.filter(store__in=stores).order_by("name", "pk"):
            by_store.setdefault(group.store_id, []).append(group)
        self.stores = {store.pk: store for store in stores}
        self.groups = {g.pk: g for store_groups in by_store.values() for g in store_groups}
        choices: list[Any] = [("", _("Choose a group"))]
        for store in stores:
            options: list[tuple[str, Any]] = [
                (f"group:{g.pk}", g.name) for g in by_store.get(store.pk, [])
            ]
            options.append((f"none:{store.pk}", _("No group (regular prices)")))
            choices.append((store.name, options))
        self.fields["choice"].choices = choices  # type: ignore[attr-defined]

    def chosen(self) -> Choice:
        kind, _sep, pk = self.cleaned_data["choice"].partition(":")
        if kind == "group":
            group = self.groups[int(pk)]
            return Choice(self.stores[group.store_id], group)
        return Choice(self.stores[int(pk)], None)


def _stores_for(customers: list[Customer]) -> list[Store]:
    """The stores whose groups the customers could join: those of their realms."""
    realms = {customer.realm_id for customer in customers}
    return list(Store.objects.filter(account_realm_id__in=realms).order_by("name", "pk"))


def _tell(model_admin: admin.ModelAdmin, request: HttpRequest, result: groups.GroupChanges) -> None:
    if result.changed:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d customer's group changed.",
                "%(count)d customers' groups changed.",
                result.changed,
            )
            % {"count": result.changed},
            messages.SUCCESS,
        )
    if result.unchanged:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d customer skipped: already as chosen.",
                "%(count)d customers skipped: already as chosen.",
                result.unchanged,
            )
            % {"count": result.unchanged},
            messages.INFO,
        )
    if result.outside:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d customer skipped: not a customer of that store.",
                "%(count)d customers skipped: not customers of that store.",
                result.outside,
            )
            % {"count": result.outside},
            messages.WARNING,
        )


def _page(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    customers: list[Customer],
    form: GroupChoiceForm,
    *,
    cancel_url: str,
    action: str = "",
) -> TemplateResponse:
    context: dict[str, Any] = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Put in a customer group"),
        "question": ngettext(
            "Which customer group should this customer be in? They see its prices when signed in.",
            "Which customer group should these %(count)d customers be in? They see its prices"
            " when signed in.",
            len(customers),
        )
        % {"count": len(customers)},
        "customers": customers[:NAMES_SHOWN],
        "more": max(0, len(customers) - NAMES_SHOWN),
        "form": form,
        "confirm_label": _("Put in group"),
        "cancel_url": cancel_url,
        "action": action,
        "selected": customers if action else [],
        "checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "confirmed_name": CONFIRMED,
    }
    status = 400 if form.is_bound else 200
    # The same page as the other steps that ask first (customers/confirm.py),
    # with the group's choice as its form.
    return TemplateResponse(
        request, "backoffice/customer_confirm_step.html", context, status=status
    )


def put_in_group_bulk(
    model_admin: admin.ModelAdmin, request: HttpRequest, customers: QuerySet[Customer]
) -> HttpResponse | None:
    """The customer list's "Put in group…": the first POST shows the choice
    page; its POST back (CONFIRMED) moves them all in one action and returns
    None, so the admin goes back to the list."""
    chosen = list(customers.order_by("pk"))
    if not chosen:
        return None
    confirmed = CONFIRMED in request.POST
    form = GroupChoiceForm(request.POST if confirmed else None, stores=_stores_for(chosen))
    if not confirmed or not form.is_valid():
        return _page(
            model_admin,
            request,
            chosen,
            form,
            cancel_url=request.get_full_path(),
            action="put_in_group",
        )
    choice = form.chosen()
    try:
        result = groups.set_customers_group(
            chosen, store=choice.store, group=choice.group, actor=acting_merchant(request)
        )
    except DomainError as refused:
        model_admin.message_user(request, message_for(refused), messages.ERROR)
        return None
    _tell(model_admin, request, result)
    return None


def put_in_group_view(model_admin: admin.ModelAdmin) -> Any:
    """The customer page's "Change group": GET shows the choice page, POST
    sets the group and goes back to the customer."""

    def view(request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        customer = model_admin.get_object(request, object_id)
        if customer is None or not model_admin.has_change_permission(request, customer):
            raise Http404
        back = reverse("backoffice:customers_customer_change", args=[customer.pk])
        form = GroupChoiceForm(request.POST or None, stores=_stores_for([customer]))
        if request.method == "POST" and form.is_valid():
            choice = form.chosen()
            try:
                groups.set_customer_group(
                    customer,
                    store=choice.store,
                    group=choice.group,
                    actor=acting_merchant(request),
                )
            except DomainError as refused:
                add_domain_error(form, refused)
            else:
                model_admin.message_user(
                    request, _("The customer group was saved."), messages.SUCCESS
                )
                return redirect(back)
        return _page(model_admin, request, [customer], form, cancel_url=back)

    return view
