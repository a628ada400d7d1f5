"""My Account speaks the customer's language, down to the country of an
address (django-countries' catalogues)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from shop_accounts.customers import actions


@pytest.mark.parametrize(
    ("language", "country"),
    [("en", "Netherlands"), ("de", "Niederlande"), ("it", "Paesi Bassi"), ("nb", "Nederland")],
)
def test_the_address_names_its_country_in_the_customers_language(
    store, make_account_holder, language, country
):
    anna = make_account_holder(store, "anna@example.com", first_name="Anna")
    actions.add_address(
        anna,
        actor=None,
        street="Keizersgracht",
        house_number="12",
        postal_code="1015 CS",
        city="Amsterdam",
        country="NL",
        default_billing=True,
        default_shipping=True,
    )
    client = Client()
    client.force_login(anna)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(reverse("storefront:my-account")).content.decode()

    assert f"1015 CS Amsterdam<br>{country}<br>" in page
