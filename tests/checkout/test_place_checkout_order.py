"""`checkout.actions.place_checkout_order`: the customer record (signed in,
or a guest's by email), the address book, the cart, shipping and payment,
in one transaction; one order per checkout key."""

from decimal import Decimal

import pytest

from shop_accounts.cart import queries as cart_queries
from shop_accounts.catalog.actions import update_product
from shop_accounts.checkout.actions import place_checkout_order
from shop_accounts.checkout.errors import (
    EmptyCart,
    NoShippingToCountry,
    PaymentMethodNotOffered,
    SignInRequired,
    UnknownShippingRate,
)
from shop_accounts.customers import actions as customer_actions
from shop_accounts.customers.models import Address, Customer, CustomerEvent
from shop_accounts.orders.errors import InvalidOrderAddress, TotalChanged
from shop_accounts.orders.models import Order
from shop_accounts.stores.models import Store
from tests.checkout.conftest import ADDRESS, fill_cart, new_key

pytestmark = pytest.mark.django_db


def checkout(shop, cart, **options) -> Order:
    options.setdefault("customer", None)
    options.setdefault("idempotency_key", new_key())
    options.setdefault("billing", ADDRESS)
    options.setdefault("shipping", None)
    options.setdefault("payment_method", Order.PaymentMethod.BANK_TRANSFER)
    options.setdefault("email", "new@example.com")
    return place_checkout_order(shop, cart=cart, **options)


def test_a_guest_order_makes_a_record_without_an_account_and_empties_the_cart(shop, towel, rates):
    cart = fill_cart(shop, (towel, 2))

    order = checkout(
        shop,
        cart,
        email="New@Example.com",
        first_name="Nina",
        last_name="Visser",
        language="nl",
        shipping_rate_id=rates["standard"].pk,
        # 2 × 12.40 + 4.00 shipping = 28.80 net, 21 %: 6.05.
        expected_total=Decimal("34.85"),
    )

    record = Customer.objects.get(email="new@example.com")
    assert order.customer == record
    assert (record.first_name, record.last_name, record.language) == ("Nina", "Visser", "nl")
    assert not record.has_usable_password()
    assert record.account_state == Customer.AccountState.NONE
    assert order.placed_as_guest is True
    assert (order.shipping_name, order.shipping_net) == ("Standard", Decimal("4.00"))
    assert order.total_gross == Decimal("34.85")
    assert order.payment_reference == str(order.number)
    assert cart_queries.cart_contents(cart, shop, None).is_empty


def test_a_second_guest_order_of_an_email_uses_its_record(shop, towel, rates, guest):
    cart = fill_cart(shop, (towel, 1))

    order = checkout(
        shop,
        cart,
        email="anna@example.com",
        first_name="Someone",
        shipping_rate_id=rates["standard"].pk,
        expected_total=Decimal("19.84"),
    )

    assert order.customer == guest
    guest.refresh_from_db()
    assert guest.first_name == "Anna"
    assert Customer.objects.filter(email="anna@example.com").count() == 1


def test_a_guest_order_never_changes_an_account_holders_profile_or_addresses(
    shop, towel, rates, make_account_holder
):
    holder = make_account_holder(shop, "holder@example.com", first_name="Hanna")
    cart = fill_cart(shop, (towel, 1))

    order = checkout(
        shop,
        cart,
        email="holder@example.com",
        first_name="Mallory",
        company_name="Evil Ltd",
        billing={**ADDRESS, "name": "Mallory", "street": "Elsewhere"},
        shipping_rate_id=rates["standard"].pk,
        expected_total=Decimal("19.84"),
        save_to_address_book=True,
    )

    holder.refresh_from_db()
    assert order.customer == holder
    assert order.placed_as_guest is True
    assert (holder.first_name, holder.company_name) == ("Hanna", "")
    assert not Address.objects.filter(customer=holder).exists()
    assert order.billing_address["street"] == "Elsewhere"


def test_a_signed_in_customer_saves_a_typed_address_to_the_book_once(
    shop, towel, rates, make_account_holder
):
    customer = make_account_holder(shop, "c@example.com", first_name="Cor")
    cart = fill_cart(shop, (towel, 1), customer=customer)
    key = new_key()
    options = {
        "customer": customer,
        "idempotency_key": key,
        "shipping_rate_id": rates["standard"].pk,
        "expected_total": Decimal("19.84"),
        "save_to_address_book": True,
    }

    first = checkout(shop, cart, **options)
    again = checkout(shop, cart, **options)

    assert again == first
    assert first.placed_as_guest is False
    book = list(Address.objects.filter(customer=customer))
    assert [(a.street, a.city, str(a.country)) for a in book] == [
        ("Keizersgracht", "Amsterdam", "NL")
    ]
    assert book[0].is_default_billing and book[0].is_default_shipping
    assert (
        CustomerEvent.objects.filter(
            customer=customer, kind=CustomerEvent.Kind.ADDRESS_ADDED
        ).count()
        == 1
    )


def test_a_picked_address_is_not_saved_again_and_unticked_saves_nothing(
    shop, towel, rates, make_account_holder
):
    customer = make_account_holder(shop, "c@example.com", first_name="Cor")
    saved = customer_actions.add_address(
        customer, actor=None, street="Damrak", city="Amsterdam", country="NL"
    )
    cart = fill_cart(shop, (towel, 1), customer=customer)

    order = checkout(
        shop,
        cart,
        customer=customer,
        billing=saved,
        shipping=ADDRESS,
        shipping_rate_id=rates["standard"].pk,
        expected_total=Decimal("19.84"),
        save_to_address_book=False,
    )

    assert order.billing_address["street"] == "Damrak"
    assert order.shipping_address["street"] == "Keizersgracht"
    assert list(Address.objects.filter(customer=customer)) == [saved]


def test_the_same_key_makes_one_order_even_after_the_cart_is_empty(shop, towel, rates):
    cart = fill_cart(shop, (towel, 1))
    key = new_key()
    options = {
        "idempotency_key": key,
        "shipping_rate_id": rates["standard"].pk,
        "expected_total": Decimal("19.84"),
    }

    first = checkout(shop, cart, **options)
    again = checkout(shop, cart, **options)

    assert again == first
    assert Order.objects.count() == 1


def test_an_empty_cart_is_refused(shop, rates):
    cart = fill_cart(shop)

    with pytest.raises(EmptyCart):
        checkout(shop, cart, shipping_rate_id=rates["standard"].pk, expected_total=Decimal(0))


def test_a_changed_price_is_refused_and_the_cart_and_records_stay(shop, towel, rates):
    cart = fill_cart(shop, (towel, 1))
    update_product(towel, price=Decimal("13.00"))

    with pytest.raises(TotalChanged):
        checkout(shop, cart, shipping_rate_id=rates["standard"].pk, expected_total=Decimal("19.84"))

    assert not Order.objects.exists()
    assert not Customer.objects.filter(email="new@example.com").exists()
    assert [line.quantity for line in cart_queries.cart_contents(cart, shop, None).lines] == [1]


def test_a_country_without_shipping_is_refused_by_name(shop, towel):
    cart = fill_cart(shop, (towel, 1))

    with pytest.raises(NoShippingToCountry) as refused:
        checkout(
            shop,
            cart,
            billing={**ADDRESS, "country": "JP"},
            shipping_rate_id=None,
            expected_total=Decimal("15.00"),
        )

    assert refused.value.text() == "We do not ship to Japan."


def test_a_rate_not_offered_for_the_country_is_refused(shop, towel, rates):
    cart = fill_cart(shop, (towel, 1))

    with pytest.raises(UnknownShippingRate):
        checkout(
            shop, cart, shipping_rate_id=rates["neighbours"].pk, expected_total=Decimal("23.47")
        )

    assert not Order.objects.exists()


def test_an_unknown_country_is_refused_at_its_field(shop, towel, rates):
    cart = fill_cart(shop, (towel, 1))

    with pytest.raises(InvalidOrderAddress) as refused:
        checkout(
            shop,
            cart,
            billing={**ADDRESS, "country": "XX"},
            shipping_rate_id=rates["world"].pk,
            expected_total=Decimal("0"),
        )

    assert list(refused.value.errors) == ["billing.country"]


def test_pay_by_invoice_is_refused_to_a_guest(shop, towel, rates):
    cart = fill_cart(shop, (towel, 1))

    with pytest.raises(PaymentMethodNotOffered):
        checkout(
            shop,
            cart,
            payment_method=Order.PaymentMethod.INVOICE,
            shipping_rate_id=rates["standard"].pk,
            expected_total=Decimal("19.84"),
        )


def test_a_store_that_requires_accounts_refuses_guests(shop, towel, rates):
    Store.objects.filter(pk=shop.pk).update(checkout_accounts=Store.CheckoutAccounts.REQUIRED)
    shop.refresh_from_db()
    cart = fill_cart(shop, (towel, 1))

    with pytest.raises(SignInRequired):
        checkout(shop, cart, shipping_rate_id=rates["standard"].pk, expected_total=Decimal("19.84"))
