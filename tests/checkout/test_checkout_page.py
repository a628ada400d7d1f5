"""The checkout page over HTTP: each accounts mode, the thank-you page,
"remember my details", bad input, changes at placement and repeated
submissions."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shop_accounts.cart import queries as cart_queries
from shop_accounts.catalog.actions import create_product, update_product
from shop_accounts.customers import actions as customer_actions
from shop_accounts.customers.models import Address
from shop_accounts.orders.models import Order
from shop_accounts.stores.models import Store
from tests.checkout.conftest import fill_cart

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def hidden(response, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', response.content.decode())
    assert match, f"no {name} on the page"
    return match.group(1)


def guest_details(**changes) -> dict[str, str]:
    return {
        "email": "nina@example.com",
        "billing_name": "Nina Visser",
        "billing_street": "Prinsengracht",
        "billing_house_number": "263",
        "billing_postal_code": "1016 GV",
        "billing_city": "Amsterdam",
        "billing_country": "NL",
        "payment_method": "bank_transfer",
        **changes,
    }


def submit(client: Client, page, **fields):
    data = {"checkout_key": hidden(page, "checkout_key"), "seen": hidden(page, "seen"), **fields}
    return client.post("/checkout/", data)


def set_mode(shop: Store, mode: str, **fields) -> None:
    Store.objects.filter(pk=shop.pk).update(checkout_accounts=mode, **fields)


@pytest.fixture
def client() -> Client:
    return Client()


def test_a_guest_checks_out_and_the_thank_you_page_offers_an_account(client, shop, towel, rates):
    fill_cart(shop, (towel, 2), client=client)
    page = client.get("/checkout/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Sign in" in text and "/account/login/?next=%2Fcheckout%2F" in text
    assert "Standard" in text and "Express" in text and "Neighbours" not in text

    placed = submit(client, page, **guest_details(shipping_rate=rates["standard"].pk))

    order = Order.objects.get()
    assert placed.status_code == 302
    assert placed["Location"] == f"/checkout/thank-you/{order.public_token}/"
    assert (order.email, order.placed_as_guest, order.total_gross) == (
        "nina@example.com",
        True,
        Decimal("34.85"),
    )
    assert order.billing_address["street"] == "Prinsengracht"
    thanks = client.get(placed["Location"]).content.decode()
    assert f"Your order number is {order.number}" in thanks
    assert f"with the reference {order.number}" in thanks
    assert "IBAN: NL91ABNA0417164300" in thanks
    assert "Create an account for nina@example.com" in thanks
    assert "/account/signup/?email=nina%40example.com" in thanks
    assert f"/orders/status/{order.public_token}/" in thanks


def test_the_thank_you_page_of_another_session_leads_to_the_order_status(
    client, shop, towel, rates
):
    fill_cart(shop, (towel, 1), client=client)
    placed = submit(
        client, client.get("/checkout/"), **guest_details(shipping_rate=rates["standard"].pk)
    )
    order = Order.objects.get()

    elsewhere = Client().get(placed["Location"])

    assert elsewhere.status_code == 302
    assert elsewhere["Location"] == f"/orders/status/{order.public_token}/"
    assert Client().get("/checkout/thank-you/not-a-token/").status_code == 404


def test_a_repeated_submission_leads_to_the_same_order(client, shop, towel, rates):
    fill_cart(shop, (towel, 1), client=client)
    page = client.get("/checkout/")
    details = guest_details(shipping_rate=rates["standard"].pk)

    first = submit(client, page, **details)
    again = submit(client, page, **details)

    assert Order.objects.count() == 1
    assert again.status_code == 302
    assert again["Location"] == first["Location"]


def test_the_next_checkout_of_the_same_cart_gets_a_new_key(client, shop, towel, rates):
    cart = fill_cart(shop, (towel, 1), client=client)
    first_page = client.get("/checkout/")
    submit(client, first_page, **guest_details(shipping_rate=rates["standard"].pk))
    fill_cart(shop, (towel, 3), client=client)

    second_page = client.get("/checkout/")
    submit(client, second_page, **guest_details(shipping_rate=rates["standard"].pk))

    assert hidden(second_page, "checkout_key") != hidden(first_page, "checkout_key")
    assert Order.objects.count() == 2
    assert cart_queries.cart_contents(cart, shop, None).is_empty


def test_missing_address_fields_are_marked_and_what_was_typed_stays(client, shop, towel, rates):
    fill_cart(shop, (towel, 1), client=client)
    page = client.get("/checkout/")

    refused = submit(
        client,
        page,
        **guest_details(billing_street="", billing_city="", shipping_rate=rates["standard"].pk),
    )

    text = refused.content.decode()
    assert refused.status_code == 400
    assert text.count("This field is required.") == 2
    assert 'value="Nina Visser"' in text and 'value="nina@example.com"' in text
    assert not Order.objects.exists()


def test_an_unknown_country_is_refused_at_the_field(client, shop, towel, rates):
    fill_cart(shop, (towel, 1), client=client)

    refused = submit(client, client.get("/checkout/"), **guest_details(billing_country="XX"))

    assert refused.status_code == 400
    assert "Choose a country from the list." in refused.content.decode()
    assert not Order.objects.exists()


def test_a_country_without_shipping_says_so(client, shop, towel, rates):
    for rate in rates.values():
        rate.countries = ["NL"] if rate.name != "Neighbours" else ["BE"]
        rate.save()
    fill_cart(shop, (towel, 1), client=client)

    refused = submit(client, client.get("/checkout/"), **guest_details(billing_country="JP"))

    assert refused.status_code == 400
    assert "We do not ship to Japan." in refused.content.decode()
    assert not Order.objects.exists()


def test_tampered_summary_rate_and_method_fields_are_refused(client, shop, towel, rates):
    fill_cart(shop, (towel, 1), client=client)
    page = client.get("/checkout/")
    key = hidden(page, "checkout_key")
    seen = hidden(page, "seen")
    forged = signing.dumps({"lines": [], "total": "0.01"}, salt="wrong")

    tampered_seen = client.post(
        "/checkout/",
        {"checkout_key": key, "seen": forged, **guest_details(shipping_rate=rates["standard"].pk)},
    )
    tampered_rate = client.post(
        "/checkout/",
        {"checkout_key": key, "seen": seen, **guest_details(shipping_rate=rates["neighbours"].pk)},
    )
    tampered_method = client.post(
        "/checkout/",
        {
            "checkout_key": key,
            "seen": seen,
            **guest_details(shipping_rate=rates["standard"].pk, payment_method="invoice"),
        },
    )
    unknown_key = client.post(
        "/checkout/",
        {
            "checkout_key": "made-up",
            "seen": seen,
            **guest_details(shipping_rate=rates["standard"].pk),
        },
    )

    assert tampered_seen.status_code == 400
    assert "This checkout page was changed." in tampered_seen.content.decode()
    assert tampered_rate.status_code == 400
    assert "Choose one of the shipping methods offered." in tampered_rate.content.decode()
    assert tampered_method.status_code == 400
    assert "Choose one of the payment methods offered." in tampered_method.content.decode()
    assert unknown_key.status_code == 400
    assert "This checkout has expired." in unknown_key.content.decode()
    assert not Order.objects.exists()


def test_a_price_change_is_shown_nothing_is_ordered_and_confirming_again_places_it(
    client, shop, towel, rates
):
    cart = fill_cart(shop, (towel, 1), client=client)
    page = client.get("/checkout/")
    update_product(towel, price=Decimal("13.00"))
    details = guest_details(shipping_rate=rates["standard"].pk)

    changed = submit(client, page, **details)

    text = changed.content.decode()
    assert changed.status_code == 409
    assert "Nothing was ordered and your cart is kept." in text
    assert "“Linen towel” now costs 15.73 EUR (was 15.00)." in text
    assert not Order.objects.exists()
    assert [line.quantity for line in cart_queries.cart_contents(cart, shop, None).lines] == [1]

    confirmed = submit(client, changed, **details)

    assert confirmed.status_code == 302
    assert Order.objects.get().total_gross == Decimal("20.57")


def test_stock_run_out_is_shown_and_nothing_is_ordered(client, shop, towel, rates):
    update_product(towel, track_stock=True, stock=5)
    fill_cart(shop, (towel, 3), client=client)
    page = client.get("/checkout/")
    update_product(towel, stock=1)

    changed = submit(client, page, **guest_details(shipping_rate=rates["standard"].pk))

    assert changed.status_code == 409
    assert "“Linen towel”: only 1 left in stock." in changed.content.decode()
    assert not Order.objects.exists()


def test_an_empty_cart_has_nothing_to_check_out(client, shop):
    assert "Your cart is empty." in client.get("/checkout/").content.decode()


def test_a_required_accounts_store_asks_to_sign_in_and_says_how_to_get_an_account(
    client, shop, towel, rates
):
    set_mode(shop, Store.CheckoutAccounts.REQUIRED, signup_mode=Store.SignupMode.APPROVAL)
    fill_cart(shop, (towel, 1), client=client)

    page = client.get("/checkout/").content.decode()
    posted = client.post("/checkout/", guest_details())

    assert "Please sign in to place your order" in page
    assert "/account/login/?next=%2Fcheckout%2F" in page
    assert "New accounts are reviewed by the shop before they can order." in page
    assert 'href="/contact/"' in page
    assert posted.status_code == 403
    assert not Order.objects.exists()


def test_an_invitation_only_store_says_so_and_offers_the_contact_form(client, shop, towel):
    set_mode(shop, Store.CheckoutAccounts.REQUIRED, signup_mode=Store.SignupMode.INVITATION)
    fill_cart(shop, (towel, 1), client=client)

    page = client.get("/checkout/").content.decode()

    assert "New accounts are by invitation only." in page
    assert "/account/signup/" not in page.split("<main")[1]
    assert 'href="/contact/"' in page


def test_a_disabled_accounts_store_offers_no_sign_in_and_remembers_details(
    client, shop, towel, rates
):
    set_mode(shop, Store.CheckoutAccounts.DISABLED)
    fill_cart(shop, (towel, 1), client=client)
    page = client.get("/checkout/")
    main = page.content.decode().split("<main")[1]
    assert "/account/login/" not in main and "/account/signup/" not in main
    assert "Remember my details on this device" in main

    placed = submit(
        client, page, **guest_details(shipping_rate=rates["standard"].pk, remember="on")
    )

    cookie = placed.cookies["checkout_details"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 365 * 24 * 3600
    fill_cart(shop, (towel, 1), client=client)
    again = client.get("/checkout/").content.decode()
    assert 'value="nina@example.com"' in again and 'value="Prinsengracht"' in again
    # Another store cannot read it (its own salt), so nothing is pre-filled there.
    other = Store.objects.create(
        name="Other",
        hostname="other.testserver",
        account_realm=shop.account_realm,
        checkout_accounts=Store.CheckoutAccounts.DISABLED,
    )
    elsewhere = Client(HTTP_HOST="other.testserver")
    elsewhere.cookies["checkout_details"] = cookie.value
    fill_cart(
        other, (create_product(other, name="Cup", price=Decimal("3.00")), 1), client=elsewhere
    )
    assert 'value="nina@example.com"' not in elsewhere.get("/checkout/").content.decode()

    # Unticked, the details are forgotten.
    forgotten = submit(
        client, client.get("/checkout/"), **guest_details(shipping_rate=rates["standard"].pk)
    )
    assert forgotten.cookies["checkout_details"].value == ""
    fill_cart(shop, (towel, 1), client=client)
    assert 'value="nina@example.com"' not in client.get("/checkout/").content.decode()


def test_a_signed_in_customer_picks_from_the_address_book_with_defaults_and_business_data(
    client, shop, towel, rates, make_account_holder
):
    customer = make_account_holder(
        shop,
        "bea@example.com",
        first_name="Bea",
        last_name="Bakker",
        customer_type="business",
        company_name="Bakker B.V.",
        vat_number="NL000099998B57",
    )
    home = customer_actions.add_address(
        customer, actor=None, street="Damrak", house_number="1", city="Amsterdam", country="NL"
    )
    depot = customer_actions.add_address(
        customer,
        actor=None,
        street="Havenweg",
        city="Rotterdam",
        country="NL",
        use_for_billing=False,
        default_shipping=True,
    )
    client.force_login(customer)
    fill_cart(shop, (towel, 1), customer=customer)

    page = client.get("/checkout/")
    text = page.content.decode()

    assert "Signed in as bea@example.com." in text
    assert f'value="book-{home.pk}"' in text and f'value="book-{depot.pk}"' in text
    assert re.search(rf'value="book-{home.pk}"[^>]*checked', text)
    assert re.search(rf'name="shipping_choice" value="book-{depot.pk}"[^>]*checked', text)
    assert 'value="Bakker B.V."' in text and 'value="NL000099998B57"' in text

    placed = submit(
        client,
        page,
        billing_choice=f"book-{home.pk}",
        ship_elsewhere="on",
        shipping_choice=f"book-{depot.pk}",
        company_name="Bakker B.V.",
        vat_number="NL000099998B57",
        shipping_rate=rates["standard"].pk,
        payment_method="bank_transfer",
        save_address="on",
    )

    assert placed.status_code == 302
    order = Order.objects.get()
    assert (order.billing_address["street"], order.shipping_address["street"]) == (
        "Damrak",
        "Havenweg",
    )
    assert order.company_name == "Bakker B.V."
    assert order.placed_as_guest is False
    assert Address.objects.filter(customer=customer).count() == 2
    thanks = client.get(placed["Location"]).content.decode()
    assert "Create an account" not in thanks


def test_a_new_address_is_saved_to_the_book_and_recent_addresses_are_offered(
    client, shop, towel, rates, make_account_holder
):
    customer = make_account_holder(shop, "cor@example.com", first_name="Cor")
    client.force_login(customer)
    fill_cart(shop, (towel, 1), customer=customer)

    placed = submit(
        client,
        client.get("/checkout/"),
        billing_name="Cor de Vries",
        billing_street="Lijnbaan",
        billing_city="Rotterdam",
        billing_country="NL",
        shipping_rate=rates["standard"].pk,
        payment_method="bank_transfer",
        save_address="on",
    )

    assert placed.status_code == 302
    saved = Address.objects.get(customer=customer)
    assert (saved.street, saved.city, saved.is_default_billing) == ("Lijnbaan", "Rotterdam", True)
    fill_cart(shop, (towel, 1), customer=customer)
    again = client.get("/checkout/").content.decode()
    assert f'value="book-{saved.pk}"' in again
    assert "Recently used" not in again  # the same address is in the book

    # An address typed without saving it is offered as recently used next time.
    submit(
        client,
        client.get("/checkout/"),
        billing_choice="new",
        billing_name="Cor de Vries",
        billing_street="Coolsingel",
        billing_city="Rotterdam",
        billing_country="NL",
        shipping_rate=rates["standard"].pk,
        payment_method="bank_transfer",
    )
    fill_cart(shop, (towel, 1), customer=customer)
    third = client.get("/checkout/").content.decode()
    assert "Recently used: Cor de Vries, Coolsingel, Rotterdam, Netherlands" in third
    assert Address.objects.filter(customer=customer).count() == 1


def test_a_business_with_a_foreign_eu_vat_number_sees_the_reverse_charge(
    client, shop, towel, rates, make_account_holder
):
    buyer = make_account_holder(
        shop,
        "kauf@example.de",
        first_name="Karl",
        customer_type="business",
        company_name="Käufer GmbH",
        vat_number="DE136695976",
    )
    client.force_login(buyer)
    fill_cart(shop, (towel, 1), customer=buyer)

    text = client.get("/checkout/").content.decode()

    assert "reverse-charge" in text
    assert "Reverse charge" in text or "reverse charge" in text


def test_the_checkout_page_costs_the_same_queries_for_one_line_and_for_five(
    client, shop, towel, rates
):
    fill_cart(shop, (towel, 1), client=client)
    client.get("/checkout/")
    with CaptureQueriesContext(connection) as one:
        client.get("/checkout/")
    for n in range(4):
        product = create_product(shop, name=f"Mug {n}", price=Decimal("5.00"))
        fill_cart(shop, (product, 1), client=client)
    client.get("/checkout/")
    with CaptureQueriesContext(connection) as five:
        client.get("/checkout/")

    assert len(five) == len(one)


def test_reverse_charge_shows_and_charges_the_nets_and_places_without_changes(
    client, shop, towel, rates, make_account_holder
):
    buyer = make_account_holder(
        shop,
        "kauf@example.de",
        first_name="Karl",
        customer_type="business",
        company_name="Käufer GmbH",
        vat_number="DE136695976",
    )
    client.force_login(buyer)
    fill_cart(shop, (towel, 1), customer=buyer)
    page = client.get("/checkout/")
    text = page.content.decode()
    # 12.40 + 4.00 shipping, no VAT: every amount shown is a net.
    assert "12.40 EUR" in text and "4.00 EUR" in text and "16.40 EUR" in text
    assert "15.00 EUR" not in text and "4.84 EUR" not in text

    placed = submit(
        client,
        page,
        billing_name="Karl Kauf",
        billing_street="Hauptstraße",
        billing_city="Berlin",
        billing_country="DE",
        company_name="Käufer GmbH",
        vat_number="DE136695976",
        shipping_rate=rates["neighbours"].pk,
        payment_method="bank_transfer",
    )

    assert placed.status_code == 302
    order = Order.objects.get()
    assert (order.reverse_charge, order.total_gross) == (True, Decimal("19.40"))


def test_a_german_shopper_reads_the_refusals_in_german(client, shop, towel, rates):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    fill_cart(shop, (towel, 1), client=client)
    page = client.get("/checkout/")

    refused = submit(
        client, page, **guest_details(billing_street="", billing_country="XX", shipping_rate="")
    )

    text = refused.content.decode()
    assert refused.status_code == 400
    assert "Dieses Feld ist erforderlich." in text
    assert "Wählen Sie ein Land aus der Liste." in text
    assert 'value="Nina Visser"' in text
    assert not Order.objects.exists()


def test_a_missing_summary_is_refused_like_a_changed_one(client, shop, towel, rates):
    fill_cart(shop, (towel, 1), client=client)
    page = client.get("/checkout/")

    refused = client.post(
        "/checkout/",
        {
            "checkout_key": hidden(page, "checkout_key"),
            **guest_details(shipping_rate=rates["standard"].pk),
        },
    )

    assert refused.status_code == 400
    assert "This checkout page was changed." in refused.content.decode()
    assert not Order.objects.exists()


def test_the_thank_you_page_costs_the_same_queries_for_one_line_and_for_five(
    client, shop, towel, rates
):
    def thank_you_queries(*items) -> int:
        fill_cart(shop, *items, client=client)
        placed = submit(
            client, client.get("/checkout/"), **guest_details(shipping_rate=rates["standard"].pk)
        )
        client.get(placed["Location"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(placed["Location"]).status_code == 200
        return len(queries)

    mugs = [create_product(shop, name=f"Mug {n}", price=Decimal("5.00")) for n in range(4)]

    assert thank_you_queries((towel, 1)) == thank_you_queries((towel, 1), *((m, 1) for m in mugs))
