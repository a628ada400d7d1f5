"""Shipping rates: which a country is offered, free from an amount of the
goods (as the store shows prices), and their back-office pages."""

from decimal import Decimal

import pytest

from shop_accounts.checkout.errors import InvalidShippingRate
from shop_accounts.checkout.models import ShippingRate
from shop_accounts.checkout.queries import offered_rates, rates_for_country
from shop_accounts.stores.models import Store
from tests.checkout.conftest import rate

pytestmark = pytest.mark.django_db


def names(rates) -> list[str]:
    return [r.name if isinstance(r, ShippingRate) else r.rate.name for r in rates]


def test_a_country_named_by_rates_gets_those_in_their_order(shop, rates):
    assert names(rates_for_country(shop, "NL")) == ["Standard", "Express"]
    assert names(rates_for_country(shop, "DE")) == ["Neighbours"]


def test_a_country_no_rate_names_gets_the_rates_without_countries(shop, rates):
    assert names(rates_for_country(shop, "FR")) == ["World"]


def test_inactive_rates_are_not_offered_and_do_not_claim_their_countries(shop, rates):
    ShippingRate.objects.filter(pk=rates["neighbours"].pk).update(is_active=False)

    assert names(rates_for_country(shop, "DE")) == ["World"]


def test_without_a_rate_for_everywhere_else_a_country_gets_none(shop):
    rate(shop, "Home", "4.00", ["NL"])

    assert rates_for_country(shop, "FR") == []


def test_rates_of_another_store_are_never_offered(shop, other_store):
    rate(other_store, "Elsewhere", "1.00", [])

    assert rates_for_country(shop, "NL") == []


def test_shipping_is_shown_with_tax_and_free_from_the_amount_of_the_goods(shop, rates):
    below = offered_rates(shop, "NL", goods_shown=Decimal("49.99"))
    at = offered_rates(shop, "NL", goods_shown=Decimal("50.00"))

    # 4.00 net + 21 % = 4.84 as shown; express 9.00 → 10.89 never free.
    assert [(r.rate.name, r.net, r.shown) for r in below] == [
        ("Standard", Decimal("4.00"), Decimal("4.84")),
        ("Express", Decimal("9.00"), Decimal("10.89")),
    ]
    assert [(r.rate.name, r.net, r.shown, r.is_free) for r in at] == [
        ("Standard", Decimal("0.00"), Decimal("0.00"), True),
        ("Express", Decimal("9.00"), Decimal("10.89"), False),
    ]


def test_a_store_showing_prices_without_tax_shows_shipping_without_tax(shop, rates):
    Store.objects.filter(pk=shop.pk).update(prices_include_tax=False)
    shop.refresh_from_db()

    offered = offered_rates(shop, "NL", goods_shown=Decimal("10.00"))

    assert [(r.net, r.shown) for r in offered] == [
        (Decimal("4.00"), Decimal("4.00")),
        (Decimal("9.00"), Decimal("9.00")),
    ]


def test_a_negative_price_is_refused_with_the_fields_message(shop):
    with pytest.raises(InvalidShippingRate) as refused:
        rate(shop, "Odd", "-1.00", ["NL"])

    assert "price" in refused.value.errors
    assert not ShippingRate.objects.exists()


def test_the_back_office_lists_and_adds_shipping_rates(merchant_client, shop, rates):
    listing = merchant_client.get("/backoffice/checkout/shippingrate/")

    assert listing.status_code == 200
    text = listing.content.decode()
    assert "Shipping rates" in text
    assert "Belgium, Germany" in text
    assert "Every other country" in text

    added = merchant_client.post(
        "/backoffice/checkout/shippingrate/add/",
        {
            "store": shop.pk,
            "name": "Pick-up point",
            "countries": ["NL", "BE"],
            "price": "2.95",
            "free_above": "",
            "is_active": "on",
            "position": "5",
        },
    )

    assert added.status_code == 302
    created = ShippingRate.objects.get(name="Pick-up point")
    assert ([str(c) for c in created.countries], created.price, created.free_above) == (
        ["BE", "NL"],
        Decimal("2.95"),
        None,
    )
