"""The back office reads like a merchant tool (django-unfold): a menu in the
merchant's words without Django's app labels, one history on the customer's
page (our trail), the shop's name in the title, and dates in the merchant's
language."""

import re
from datetime import UTC, datetime
from html import unescape

from django.test import Client
from django.urls import reverse

from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer

INDEX = reverse("backoffice:index")
CHANGELIST = reverse("backoffice:customers_customer_changelist")
SIGNED_IN_AT = datetime(2026, 11, 20, 7, 30, tzinfo=UTC)  # 08:30 in Amsterdam (CET)


def sidebar(page: str) -> str:
    """The menu's entries (without the account links below them)."""
    start = page.index('id="nav-sidebar-apps"')
    return page[start : page.index("openUserLinks", start)]


def texts(html: str, tag: str) -> list[str]:
    """The words inside each <tag>…</tag>, tags and spacing removed."""
    # Icons are hidden from screen readers: their ligature names are no words.
    html = re.sub(r'<span[^>]*aria-hidden="true"[^>]*>.*?</span>', "", html, flags=re.S)
    found = re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split()) for text in found]


def test_the_menu_names_what_a_merchant_looks_after_without_app_labels(merchant_client, store):
    menu = sidebar(merchant_client.get(INDEX).content.decode())

    assert texts(menu, "h2") == ["Customers", "Orders", "Shop", "Emails"]
    assert texts(menu, "a") == [
        "Customers",
        "Registrations awaiting approval",
        "Invitations sent",
        "Customer groups",
        "Orders",
        "Stores",
        "Catalog",
        "Shipping rates",
        "Email texts",
        "Email outbox",
    ]
    for app_label in ("Core", "Catalog products", "Back office"):
        assert app_label not in texts(menu, "h2")


def test_the_index_shows_the_same_groups_and_no_core_section(merchant_client, store):
    page = merchant_client.get(INDEX).content.decode()
    main = page[page.index("<main") : page.index("</main>")]

    assert texts(main, "h2") == ["Customers", "Orders", "Shop", "Emails"]
    assert "Core" not in texts(main, "h2") + texts(main, "a")


def test_the_menu_links_open_the_pages_they_name(merchant_client, store):
    menu = sidebar(merchant_client.get(INDEX).content.decode())

    for link in re.findall(r'href="([^"]+)"', menu):
        if link.startswith("/backoffice/"):
            assert merchant_client.get(unescape(link)).status_code == 200, link


def test_the_title_carries_the_shops_name(merchant_client, store):
    page = merchant_client.get(CHANGELIST).content.decode()

    assert "Customers | Test Shop · back office</title>" in page


def test_the_customer_page_has_one_history_our_trail(merchant_client, store):
    anna = actions.create_customer(store=store, email="anna@example.com", actor=None)
    change = reverse("backoffice:customers_customer_change", args=[anna.pk])

    page = merchant_client.get(change).content.decode()

    # No button to Django's object history ("no history for this object").
    assert reverse("backoffice:customers_customer_history", args=[anna.pk]) not in page
    assert page.count('class="customer-events') == 1
    assert "Record created" in page


def test_the_customer_page_heading_shows_the_email_as_written(merchant_client, store):
    maxi = actions.create_customer(store=store, email="maxi@example.com", actor=None)

    page = merchant_client.get(
        reverse("backoffice:customers_customer_change", args=[maxi.pk])
    ).content.decode()

    assert texts(page, "h1") == ["maxi@example.com"]


def test_dates_and_words_are_in_german_for_a_german_merchant(merchant, store, make_account_holder):
    anna = make_account_holder(store, "anna@example.com", first_name="Anna")
    Customer.objects.filter(pk=anna.pk).update(last_login=SIGNED_IN_AT)
    merchant.language = "de"
    merchant.save(update_fields=["language"])
    german = Client()
    german.force_login(merchant)
    session = german.session
    session["customer_language"] = "de"  # what signing in stores (identity/adapter.py)
    session.save()

    page = german.get(CHANGELIST).content.decode()
    row = page[
        page.rindex("<tr", 0, page.index(">Anna<")) : page.index("</tr>", page.index(">Anna<"))
    ]
    record = german.get(
        reverse("backoffice:customers_customer_change", args=[anna.pk])
    ).content.decode()

    assert '<html lang="de"' in page
    assert "20. November 2026 08:30" in row
    assert "Aktiv" in row
    # unfold's own texts too (it ships no translations: locale_unfold/).
    assert 'aria-label="Datensatz auswählen"' in row
    assert "Select record" not in page
    # The trail: German date, the shop's time zone named.
    assert re.search(r"\d{1,2}\. \w+ 2\d{3} \d\d:\d\d CET", record)


def test_only_the_back_office_allows_what_unfolds_scripts_need(merchant_client, store):
    back_office = merchant_client.get(CHANGELIST)["Content-Security-Policy"]
    storefront = merchant_client.get(reverse("storefront:home"))["Content-Security-Policy"]

    assert "'unsafe-eval'" in back_office  # Alpine.js compiles unfold's expressions
    assert "'unsafe-eval'" not in storefront
    assert "'unsafe-inline'" not in storefront
    assert "frame-ancestors 'none'" in back_office
