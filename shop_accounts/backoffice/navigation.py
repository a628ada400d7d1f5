"""The back office's title and menu in the merchant's words (django-unfold's
`UNFOLD` setting points here): what a merchant looks after, grouped as they
think of it, never Django's app labels ("Core", "Stores"). The index page
shows the same groups, so the menu and the index never disagree."""

from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from shop_accounts.backoffice.site import awaiting_approval, backoffice_site
from shop_accounts.catalog.models import CustomerGroup, Product
from shop_accounts.checkout.models import ShippingRate
from shop_accounts.core.models import OutboundEmail
from shop_accounts.customers.models import Customer, PendingRegistration
from shop_accounts.orders.models import Order
from shop_accounts.stores.context import request_store_or_none
from shop_accounts.stores.models import EmailText, Store

INVITED = Customer.AccountState.INVITED


def site_header(request: HttpRequest) -> str:
    """The shop's name above the menu (the store of the host the merchant
    came in on)."""
    store = request_store_or_none(request)
    return store.name if store is not None else "Shop Accounts"


def site_subheader(request: HttpRequest) -> str:
    return _("Back office")


def site_title(request: HttpRequest) -> str:
    """The end of each page's title in the browser's tab."""
    return _("%(shop)s · back office") % {"shop": site_header(request)}


def awaiting_approval_badge(request: HttpRequest) -> int | None:
    """The number beside the approval queue; none when the queue is empty."""
    return awaiting_approval(request) or None


def sidebar(request: HttpRequest) -> list[dict[str, Any]]:
    """The menu's groups, each entry shown only to a merchant who may open it."""
    customers = _changelist(Customer)
    return [
        {
            "title": _("Customers"),
            "items": [
                _item(
                    _("Customers"),
                    "group",
                    customers,
                    Customer,
                    active=lambda r: r.path.startswith(customers) and not _lists_invited(r),
                ),
                {
                    **_item(
                        _named(PendingRegistration),
                        "how_to_reg",
                        _changelist(PendingRegistration),
                        PendingRegistration,
                    ),
                    "badge": "shop_accounts.backoffice.navigation.awaiting_approval_badge",
                    "badge_variant": "warning",
                    "badge_class": "awaiting-approval-count",
                },
                _item(
                    _("Invitations sent"),
                    "forward_to_inbox",
                    f"{customers}?account_state__exact={INVITED}",
                    Customer,
                    active=lambda r: r.path == customers and _lists_invited(r),
                ),
                _item(
                    _("Customer groups"),
                    "sell",
                    _changelist(CustomerGroup),
                    CustomerGroup,
                ),
            ],
        },
        {
            "title": _("Orders"),
            "items": [_item(_("Orders"), "receipt_long", _changelist(Order), Order)],
        },
        {
            "title": _("Shop"),
            "items": [
                _item(_("Stores"), "storefront", _changelist(Store), Store),
                _item(_("Catalog"), "inventory_2", _changelist(Product), Product),
                _item(
                    _("Shipping rates"), "local_shipping", _changelist(ShippingRate), ShippingRate
                ),
            ],
        },
        {
            "title": _("Emails"),
            "items": [
                _item(_named(EmailText), "edit_note", _changelist(EmailText), EmailText),
                _item(_named(OutboundEmail), "outbox", _changelist(OutboundEmail), OutboundEmail),
            ],
        },
    ]


def _named(model: type[Model]) -> str:
    # The page's own heading ("Email outbox"), so the menu and the page agree.
    return capfirst(str(model._meta.verbose_name_plural))


def _changelist(model: type[Model]) -> str:
    opts = model._meta
    return reverse(f"backoffice:{opts.app_label}_{opts.model_name}_changelist")


def _lists_invited(request: HttpRequest) -> bool:
    return request.GET.get("account_state__exact") == INVITED


def _item(
    title: str,
    icon: str,
    link: str,
    model: type[Model],
    *,
    active: Callable[[HttpRequest], bool] | None = None,
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "title": title,
        "icon": icon,
        "icon_template": "backoffice/includes/menu_icon.html",
        "link": link,
        # The same permission the page itself asks, so no entry leads to a 403.
        "permission": lambda r: backoffice_site.get_model_admin(
            model
        ).has_view_or_change_permission(r),
    }
    if active is not None:
        item["active"] = active
    return item
