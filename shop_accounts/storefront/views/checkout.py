"""The checkout: one page by the store's checkout-accounts mode, and the
thank-you page after it.

- disabled: guests only, no sign-in offered; "remember my details on this
  device" keeps contact and addresses in a signed cookie of this store;
- optional: guest checkout, or sign in / create an account on the way;
- required: sign in (or create an account, as the sign-up mode allows) first.

Signed-in customers pick addresses from their book (defaults first), or from
the addresses of their recent orders, or add a new one. What the shopper saw
travels signed in the form (`seen`); when prices, stock or availability
changed before placement, the page shows what changed, nothing is ordered
and the cart stays as it was. The page's key (one per cart in the session)
makes every submission of one checkout end at the same order."""

import importlib
import json
import secrets
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_countries import countries

from shop_accounts.cart import queries as cart_queries
from shop_accounts.catalog.tax import REVERSE_CHARGE_NOTE
from shop_accounts.checkout import actions as checkout_actions
from shop_accounts.checkout.errors import EmptyCart, NoShippingToCountry, UnknownShippingRate
from shop_accounts.checkout.queries import (
    CheckoutSummary,
    OfferedRate,
    checkout_summary,
    offered_rates,
    recent_order_addresses,
)
from shop_accounts.core.errors import DomainError
from shop_accounts.customers import queries as customer_queries
from shop_accounts.customers.models import Address, Customer
from shop_accounts.orders import payments
from shop_accounts.orders import queries as order_queries
from shop_accounts.orders.actions.placement import ADDRESS_FIELDS
from shop_accounts.orders.errors import (
    InvalidOrderAddress,
    OutOfStock,
    ProductUnavailable,
    TotalChanged,
)
from shop_accounts.orders.models import Order
from shop_accounts.storefront.carts import request_cart
from shop_accounts.storefront.checkout_forms import ADDRESS_PARTS, NEW, CheckoutForm
from shop_accounts.storefront.errors import add_domain_error
from shop_accounts.storefront.policy import shows_prices, signed_in_customer
from shop_accounts.storefront.views.orders import summary_context
from shop_accounts.stores.context import request_store
from shop_accounts.stores.models import Store

PAGE = "storefront/pages/checkout.html"
SIGN_IN_PAGE = "storefront/pages/checkout_sign_in.html"
EMPTY_PAGE = "storefront/pages/checkout_empty.html"
THANK_YOU_PAGE = "storefront/pages/checkout_thank_you.html"
REMEMBER_COOKIE = "checkout_details"
REMEMBER_SECONDS = 365 * 24 * 3600
SESSION_KEYS = "checkout_keys"  # cart pk → the checkout page's key
SESSION_SPENT = "checkout_spent_keys"  # keys that placed an order here
SESSION_PLACED = "checkout_orders"  # public tokens of orders placed here
KEEP = 20  # spent keys and placed orders remembered per session


def _seen_salt(store: Store) -> str:
    return f"checkout-seen:{store.pk}"


def _remember_salt(store: Store) -> str:
    return f"checkout-details:{store.pk}"


@dataclass
class Change:
    """One difference between what the shopper saw and what placement found."""

    text: str


# ---------------------------------------------------------------- the page


@never_cache
@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    store = request_store(request)
    customer = signed_in_customer(request)
    if customer is None and (
        store.checkout_accounts == Store.CheckoutAccounts.REQUIRED or not shows_prices(request)
    ):
        return _sign_in_first(request, store)
    cart = request_cart(request)
    if request.method == "POST":
        return _place(request, store, customer, cart)
    if cart is None:
        return render(request, EMPTY_PAGE)
    contents = cart_queries.cart_contents(cart, store, customer)
    if contents.is_empty:
        return render(request, EMPTY_PAGE)
    page = _Page(request, store, customer, cart, contents)
    form = page.form(initial=page.initial())
    return page.render(form)


def _sign_in_first(request: HttpRequest, store: Store) -> HttpResponse:
    """A required-accounts store: sign in, or sign up as the sign-up mode allows."""
    next_url = reverse("storefront:checkout")
    context = {
        "sign_in_url": f"{reverse('account_login')}?{urlencode({'next': next_url})}",
        "sign_up_url": f"{reverse('account_signup')}?{urlencode({'next': next_url})}",
        "signup_mode": store.signup_mode,
        "SignupMode": Store.SignupMode,
    }
    status = 403 if request.method == "POST" else 200
    return render(request, SIGN_IN_PAGE, context, status=status)


class _Page:
    """Everything the checkout page shows for one request."""

    def __init__(
        self, request: HttpRequest, store: Store, customer: Customer | None, cart, contents
    ):
        self.request = request
        self.store = store
        self.customer = customer
        self.cart = cart
        self.contents = contents
        self.book: list[Address] = (
            list(customer_queries.addresses_for(customer)) if customer is not None else []
        )
        # Recent orders' addresses that are not in the book already.
        in_book = {_address_key(a) for a in self.book}
        self.recent: list[dict[str, str]] = [
            address
            for address in (recent_order_addresses(store, customer) if customer else [])
            if _address_key(address) not in in_book
        ]
        self.providers = payments.offered_providers(store, customer)
        # The posted choices, once the form is valid (company and VAT number).
        self.form_data: dict[str, Any] = {}

    # ---- the form

    def address_choices(self) -> dict[str, list[tuple[str, str]]]:
        choices: dict[str, list[tuple[str, str]]] = {}
        for kind in ("billing", "shipping"):
            usable = [
                address
                for address in self.book
                if (address.use_for_billing if kind == "billing" else address.use_for_shipping)
            ]
            picks = [
                (f"book-{a.pk}", ", ".join(line for line in a.lines() if line)) for a in usable
            ]
            picks += [
                (f"recent-{n}", _("Recently used: %(address)s") % {"address": _one_line(a)})
                for n, a in enumerate(self.recent)
            ]
            choices[kind] = picks
        return choices

    def form(self, data: Any = None, initial: dict[str, Any] | None = None) -> CheckoutForm:
        return CheckoutForm(
            data,
            initial=initial,
            signed_in=self.customer is not None,
            remember_offered=self.store.checkout_accounts == Store.CheckoutAccounts.DISABLED,
            address_choices=self.address_choices(),
        )

    def initial(self) -> dict[str, Any]:
        """Defaults: the book's default addresses and the business data of a
        signed-in customer; a guest's remembered details on this device."""
        initial: dict[str, Any] = {"checkout_key": _checkout_key(self.request, self.cart)}
        initial["billing_country"] = str(self.store.country)
        customer = self.customer
        if customer is not None:
            initial["save_address"] = True
            initial["billing_name"] = customer.full_name
            initial["shipping_name"] = customer.full_name
            if customer.is_business:
                initial["company_name"] = customer.company_name
                initial["vat_number"] = customer.vat_number
            for kind in ("billing", "shipping"):
                default = next(
                    (
                        a
                        for a in self.book
                        if (a.is_default_billing if kind == "billing" else a.is_default_shipping)
                    ),
                    None,
                )
                picks = self.address_choices()[kind]
                if default is not None:
                    initial[f"{kind}_choice"] = f"book-{default.pk}"
                elif picks:
                    initial[f"{kind}_choice"] = picks[0][0]
            billing_default = initial.get("billing_choice")
            shipping_default = initial.get("shipping_choice")
            if shipping_default and shipping_default != billing_default:
                initial["ship_elsewhere"] = True
        else:
            remembered = _remembered(self.request, self.store)
            if remembered:
                initial.update(remembered)
                initial["remember"] = True
        return initial

    # ---- addresses and summary from a form's data

    def address(self, form: CheckoutForm, kind: str) -> Address | dict[str, str] | None:
        """The picked or typed address (None: tampered pick, error added)."""
        picked = form.picked(kind)
        if picked == NEW:
            return form.typed_address(kind)
        source, _sep, number = picked.partition("-")
        if source == "book" and number.isdigit():
            for address in self.book:
                if address.pk == int(number):
                    return address
        if source == "recent" and number.isdigit() and int(number) < len(self.recent):
            snapshot = self.recent[int(number)]
            return {field: value for field, value in snapshot.items() if field in ADDRESS_FIELDS}
        form.add_error(f"{kind}_choice", _("Choose one of your addresses."))
        return None

    def country_of(self, form: CheckoutForm | None, initial: dict[str, Any]) -> str:
        if form is not None and form.is_bound and hasattr(form, "cleaned_data"):
            kind = "shipping" if form.cleaned_data.get("ship_elsewhere") else "billing"
            address = self.address(form, kind) if form.picked(kind) != NEW else None
            if isinstance(address, Address):
                return str(address.country)
            if isinstance(address, dict):
                return address.get("country", "")
            return form.cleaned_data.get(f"{kind}_country") or ""
        kind = "shipping" if initial.get("ship_elsewhere") else "billing"
        choice = initial.get(f"{kind}_choice") or NEW
        if choice.startswith("book-"):
            for address in self.book:
                if f"book-{address.pk}" == choice:
                    return str(address.country)
        if choice.startswith("recent-"):
            number = int(choice.split("-")[1])
            return self.recent[number].get("country", "")
        return initial.get(f"{kind}_country") or ""

    def rates(self, country: str) -> list[OfferedRate]:
        if not country:
            return []
        return offered_rates(
            self.store, country, goods_shown=self.contents.subtotal_shown or Decimal(0)
        )

    def summary(
        self, rate: OfferedRate | None, *, company_name: str, vat_number: str
    ) -> CheckoutSummary:
        customer = self.customer
        is_business = customer.is_business if customer is not None else bool(company_name)
        return checkout_summary(
            self.store,
            self.contents,
            shipping=rate,
            is_business=is_business,
            vat_number=vat_number,
        )

    # ---- rendering

    def render(
        self,
        form: CheckoutForm,
        *,
        status: int = 200,
        changes: list[Change] | None = None,
        notice: str = "",
    ) -> HttpResponse:
        data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        initial = {**form.initial, **({} if not form.is_bound else _flat(form.data))}
        country = self.country_of(form if form.is_bound else None, initial)
        rates = self.rates(country) if country in countries else []
        chosen_id = _int(initial.get("shipping_rate"))
        rate = next((r for r in rates if r.pk == chosen_id), rates[0] if rates else None)
        method_codes = [p.code for p in self.providers]
        method = initial.get("payment_method")
        if method not in method_codes:
            method = method_codes[0] if method_codes else ""
        summary = self.summary(
            rate,
            company_name=str(data.get("company_name") or initial.get("company_name") or ""),
            vat_number=str(data.get("vat_number") or initial.get("vat_number") or ""),
        )
        if summary.reverse_charge:  # no VAT on shipping either
            rates = [replace(r, shown=r.net) for r in rates]
            rate = summary.shipping
        # The page signs the summary it shows: after a change, the new one.
        seen = signing.dumps(
            {**summary.seen(), "rates": {str(r.pk): str(r.shown) for r in rates}},
            salt=_seen_salt(self.store),
        )
        next_url = reverse("storefront:checkout")
        guest_email = str(initial.get("email") or "")
        context = {
            "form": form,
            "seen": seen,
            "checkout_key": initial.get("checkout_key") or "",
            "summary": summary,
            "rates": rates,
            "chosen_rate": rate,
            "providers": [
                {"code": p.code, "label": p.label, "description": p.description(self.store)}
                for p in self.providers
            ],
            "chosen_method": method,
            "country": country,
            "country_name": countries.name(country) if country in countries else "",
            "no_shipping": bool(country) and country in countries and not rates,
            "customer": self.customer,
            "mode": self.store.checkout_accounts,
            "Modes": Store.CheckoutAccounts,
            "changes": changes or [],
            "billing_choice": form.choice_field("billing"),
            "shipping_choice": form.choice_field("shipping"),
            "billing_fields": form.address_fields("billing"),
            "shipping_fields": form.address_fields("shipping"),
            "billing_picked": initial.get("billing_choice") or NEW,
            "shipping_picked": initial.get("shipping_choice") or NEW,
            "reverse_charge_note": REVERSE_CHARGE_NOTE,
            "notice": notice,
            "sign_in_url": f"{reverse('account_login')}?{urlencode({'next': next_url})}",
            "sign_up_url": f"{reverse('account_signup')}?"
            + urlencode({"next": next_url, **({"email": guest_email} if guest_email else {})}),
        }
        return render(self.request, PAGE, context, status=status)


# ---------------------------------------------------------------- placing


def _place(request: HttpRequest, store: Store, customer: Customer | None, cart) -> HttpResponse:
    key = request.POST.get("checkout_key", "")
    if not _key_of_this_session(request, cart, key):
        # Not this session's checkout (expired, or typed in): start afresh.
        if cart is None or cart_queries.cart_contents(cart, store, customer).is_empty:
            return render(request, EMPTY_PAGE, status=400)
        page = _Page(
            request, store, customer, cart, cart_queries.cart_contents(cart, store, customer)
        )
        form = page.form(initial=page.initial())
        return page.render(
            form,
            status=400,
            notice=_("This checkout has expired. Check your order and place it again."),
        )
    # The key is this session's, so an order it placed is this shopper's.
    placed = checkout_actions.order_of_checkout(store, key)
    if placed is not None:
        return _placed(request, cart, placed)
    if cart is None:
        return render(request, EMPTY_PAGE, status=400)
    contents = cart_queries.cart_contents(cart, store, customer)
    page = _Page(request, store, customer, cart, contents)
    form = page.form(request.POST)
    if "update" in request.POST:
        # "Update shipping and totals": the same page for the new choices.
        form.is_valid()
        form.errors.clear()
        return page.render(form)
    if not form.is_valid():
        tampered = "seen" in form.errors
        return page.render(
            form,
            status=400,
            notice=_("This checkout page was changed. Check your order and place it again.")
            if tampered
            else "",
        )
    data = form.cleaned_data
    try:
        seen = signing.loads(data["seen"], salt=_seen_salt(store))
    except signing.BadSignature:
        return page.render(
            form,
            status=400,
            notice=_("This checkout page was changed. Check your order and place it again."),
        )
    billing = page.address(form, "billing")
    shipping = page.address(form, "shipping") if data.get("ship_elsewhere") else None
    if billing is None or (data.get("ship_elsewhere") and shipping is None):
        return page.render(form, status=400)
    if contents.is_empty:
        # Only a placed order empties the cart: find it, or say so.
        return _try_place(request, page, form, seen, billing, shipping, None, key)
    country = checkout_actions.shipping_country(billing, shipping)
    rate_field = "shipping_rate"
    try:
        rate = checkout_actions.chosen_rate(
            store,
            country,
            _int(data.get("shipping_rate")),
            goods_shown=contents.subtotal_shown or Decimal(0),
        )
    except NoShippingToCountry as error:
        form.add_error(None, error.text())
        return page.render(form, status=400)
    except UnknownShippingRate as error:
        form.add_error(rate_field, error.text())
        return page.render(form, status=400)
    page.form_data = data
    reverse = page.summary(
        rate, company_name=data.get("company_name", ""), vat_number=data.get("vat_number", "")
    ).reverse_charge
    if reverse:  # the page showed the shipping without VAT
        rate = replace(rate, shown=rate.net)
    changes = _changes(seen, page, rate)
    if changes:
        return page.render(form, status=409, changes=changes)
    return _try_place(request, page, form, seen, billing, shipping, rate, key)


def _try_place(request, page: _Page, form: CheckoutForm, seen, billing, shipping, rate, key):
    data = form.cleaned_data
    store, customer = page.store, page.customer
    summary = page.summary(
        rate, company_name=data.get("company_name", ""), vat_number=data.get("vat_number", "")
    )
    name = (billing.get("name", "") if isinstance(billing, dict) else "").strip()
    first_name, _sep, last_name = name.partition(" ")
    try:
        order = checkout_actions.place_checkout_order(
            store,
            cart=page.cart,
            customer=customer,
            idempotency_key=key,
            billing=billing,
            shipping=shipping,
            shipping_rate_id=rate.pk if rate else None,
            payment_method=data.get("payment_method", ""),
            expected_total=summary.total,
            email=data.get("email", ""),
            first_name=first_name,
            last_name=last_name,
            language=translation.get_language() or store.default_language,
            company_name=data.get("company_name", ""),
            vat_number=data.get("vat_number", ""),
            save_to_address_book=bool(data.get("save_address")),
        )
    except (TotalChanged, OutOfStock, ProductUnavailable) as error:
        page.contents = cart_queries.cart_contents(page.cart, store, customer)
        changes = _changes(seen, page, rate) or [Change(error.text())]
        if not isinstance(error, TotalChanged):
            changes = [Change(error.text()), *[c for c in changes if c.text != error.text()]]
        return page.render(form, status=409, changes=changes)
    except EmptyCart:
        return render(request, EMPTY_PAGE, status=400)
    except InvalidOrderAddress as error:
        for field, messages in error.errors.items():
            target = field.replace(".", "_")
            form.add_error(target if target in form.fields else None, messages)
        return page.render(form, status=400)
    except DomainError as error:
        add_domain_error(form, error)
        return page.render(form, status=400)
    response = _placed(request, page.cart, order)
    if "remember" in form.fields:
        _remember(response, request, store, form)
    return response


def _placed(request: HttpRequest, cart, order: Order) -> HttpResponse:
    """After placing (or finding the order of this checkout): remember it in
    the session, give the cart a new key, go to the thank-you page."""
    session = request.session
    placed = [t for t in session.get(SESSION_PLACED, []) if t != order.public_token]
    session[SESSION_PLACED] = [*placed, order.public_token][-KEEP:]
    spent = [k for k in session.get(SESSION_SPENT, []) if k != order.idempotency_key]
    session[SESSION_SPENT] = [*spent, order.idempotency_key][-KEEP:]
    if cart is not None:
        keys = dict(session.get(SESSION_KEYS, {}))
        if keys.get(str(cart.pk)) == order.idempotency_key:
            keys[str(cart.pk)] = secrets.token_urlsafe(32)
            session[SESSION_KEYS] = keys
    if order.placed_as_guest:
        _open_account_at_first_order(order)
    return redirect("storefront:checkout-thank-you", token=order.public_token)


def _open_account_at_first_order(order: Order) -> None:
    """Accounts at the first order (a store setting) are opened by identity;
    called where that flow exists."""
    try:
        module = importlib.import_module("shop_accounts.identity.first_order")
    except ImportError:
        return
    module.open_account_at_first_order(order)


def _checkout_key(request: HttpRequest, cart) -> str:
    keys = dict(request.session.get(SESSION_KEYS, {}))
    key = keys.get(str(cart.pk))
    if not key:
        key = secrets.token_urlsafe(32)
        keys[str(cart.pk)] = key
        request.session[SESSION_KEYS] = keys
    return key


def _key_of_this_session(request: HttpRequest, cart, key: str) -> bool:
    if not key:
        return False
    if key in request.session.get(SESSION_SPENT, []):
        return True
    return cart is not None and request.session.get(SESSION_KEYS, {}).get(str(cart.pk)) == key


def _changes(seen: dict[str, Any], page: _Page, rate: OfferedRate | None) -> list[Change]:
    """What differs between the signed summary the shopper saw and the one
    for the cart and choices now (both priced the same way)."""
    data = page.form_data
    summary = page.summary(
        rate, company_name=data.get("company_name", ""), vat_number=data.get("vat_number", "")
    )
    currency = page.store.currency
    names: dict[str, str] = seen.get("names", {})
    before = {str(pk): (qty, Decimal(unit)) for pk, qty, unit in seen.get("lines", [])}
    now = {
        str(line.product_id): (line.quantity, line.unit_shown, line.name) for line in summary.lines
    }
    changes: list[Change] = []
    for pk, (qty, unit) in before.items():
        name = names.get(pk, "")
        if pk not in now:
            changes.append(
                Change(_("“%(product)s” is no longer in your cart.") % {"product": name})
            )
            continue
        new_qty, new_unit, name = now[pk]
        if new_unit != unit:
            changes.append(
                Change(
                    _("“%(product)s” now costs %(now)s %(currency)s (was %(before)s).")
                    % {"product": name, "now": new_unit, "before": unit, "currency": currency}
                )
            )
        if new_qty != qty:
            changes.append(
                Change(
                    _("“%(product)s”: quantity now %(now)s (was %(before)s).")
                    % {"product": name, "now": new_qty, "before": qty}
                )
            )
    for pk, (_qty, _unit, name) in now.items():
        if pk not in before:
            changes.append(Change(_("“%(product)s” was added to your cart.") % {"product": name}))
    seen_rates: dict[str, str] = seen.get("rates", {})
    if (
        rate is not None
        and str(rate.pk) in seen_rates
        and Decimal(seen_rates[str(rate.pk)]) != rate.shown
    ):
        changes.append(
            Change(
                _("Shipping by “%(rate)s” now costs %(now)s %(currency)s (was %(before)s).")
                % {
                    "rate": rate.rate.name,
                    "now": rate.shown,
                    "before": seen_rates[str(rate.pk)],
                    "currency": currency,
                }
            )
        )
    return changes


# ---------------------------------------------------------------- remember me


def _remembered(request: HttpRequest, store: Store) -> dict[str, Any]:
    if store.checkout_accounts != Store.CheckoutAccounts.DISABLED:
        return {}
    try:
        raw = request.get_signed_cookie(REMEMBER_COOKIE, salt=_remember_salt(store))
        details = json.loads(raw or "")
    except (KeyError, signing.BadSignature, ValueError):
        return {}
    return details if isinstance(details, dict) else {}


REMEMBERED_FIELDS = (
    "email",
    "company_name",
    "vat_number",
    "ship_elsewhere",
    *(f"{kind}_{part}" for kind in ("billing", "shipping") for part, *_rest in ADDRESS_PARTS),
)


def _remember(
    response: HttpResponse, request: HttpRequest, store: Store, form: CheckoutForm
) -> None:
    """Keep the guest's details on this device for a year (ticked), or forget them."""
    if not form.cleaned_data.get("remember"):
        response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")
        return
    details = {name: form.cleaned_data.get(name) for name in REMEMBERED_FIELDS}
    response.set_signed_cookie(
        REMEMBER_COOKIE,
        json.dumps(details),
        salt=_remember_salt(store),
        max_age=REMEMBER_SECONDS,
        httponly=True,
        secure=request.is_secure(),
        samesite="Lax",
    )


# ---------------------------------------------------------------- thank you


@never_cache
def thank_you(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation, for the session that placed the order; anyone else
    with the link goes to the order's status page."""
    store = request_store(request)
    order = order_queries.order_for_token(store, token)
    if order is None:
        raise Http404
    if order.public_token not in request.session.get(SESSION_PLACED, []):
        return redirect("storefront:order-status", order.public_token)
    offer_account = (
        order.placed_as_guest
        and store.checkout_accounts == Store.CheckoutAccounts.OPTIONAL
        and order.customer.account_state == Customer.AccountState.NONE
        and signed_in_customer(request) is None
    )
    sign_up_url = f"{reverse('account_signup')}?" + urlencode({"email": order.email})
    context = {
        **summary_context(store, order),
        "status_url": reverse("storefront:order-status", args=[order.public_token]),
        "offer_account": offer_account,
        "sign_up_url": sign_up_url,
    }
    return render(request, THANK_YOU_PAGE, context)


# ---------------------------------------------------------------- helpers


def _address_key(address: Address | dict[str, str]) -> tuple[str, ...]:
    """What makes two addresses the same place, for hiding duplicates."""
    parts = ("street", "house_number", "postal_code", "city", "country")
    if isinstance(address, Address):
        return tuple(str(getattr(address, part) or "").strip().lower() for part in parts)
    return tuple(str(address.get(part) or "").strip().lower() for part in parts)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _flat(data: Any) -> dict[str, Any]:
    return {key: data.get(key) for key in data}


def _one_line(address: dict[str, str]) -> str:
    parts = [
        address.get("name", ""),
        " ".join(p for p in (address.get("street", ""), address.get("house_number", "")) if p),
        " ".join(p for p in (address.get("postal_code", ""), address.get("city", "")) if p),
        str(countries.name(address.get("country", "")) or address.get("country", "")),
    ]
    return ", ".join(p for p in parts if p)
