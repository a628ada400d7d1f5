"""Password rules (NIST 800-63B): the store's minimum length, long Unicode
passphrases, no composition rules, and an offline blocklist plus the shop's
name and the email's local part refused with a clear message."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import Customer
from shop_accounts.identity.passwords import MAX_LENGTH
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.errors import InvalidStoreSetting
from shop_accounts.stores.models import Store
from tests.conftest import PASSWORD

RESET_LINK = re.compile(r"http://testserver(/account/password/reset/key/[^\s]+/)")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def sign_up(email: str, password: str) -> tuple[int, str]:
    response = Client().post(
        reverse("account_signup"),
        {
            "first_name": "Nina",
            "last_name": "Jansen",
            "email": email,
            "password1": password,
            "password2": password,
        },
    )
    return response.status_code, response.content.decode()


def set_min_length(store: Store, length: int) -> None:
    Store.objects.filter(pk=store.pk).update(min_password_length=length)


def test_password_shorter_than_the_stores_minimum_is_refused(store):
    set_min_length(store, 16)

    status, page = sign_up("nina@example.com", "fifteen chars!!")

    assert status == 200
    assert "Use at least 16 characters." in page
    assert not Customer.objects.filter(email="nina@example.com").exists()


def test_password_of_exactly_the_stores_minimum_is_accepted(store):
    set_min_length(store, 8)

    status, _page = sign_up("nina@example.com", "tulip-k8")

    assert status == 302
    assert Customer.objects.get(email="nina@example.com").check_password("tulip-k8")


def test_refusals_are_in_the_visitors_language(store):
    set_min_length(store, 16)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    data = {
        "email": "nina@example.com",
        "password1": "Test Shop 2024",
        "password2": "Test Shop 2024",
    }

    page = client.post(reverse("account_signup"), data).content.decode()

    assert "Verwenden Sie mindestens 16 Zeichen." in page
    assert "Verwenden Sie nicht den Namen des Shops als Passwort." in page


def test_sign_up_page_tells_the_stores_minimum(client, store):
    set_min_length(store, 20)

    page = client.get(reverse("account_signup")).content.decode()

    assert "Use at least 20 characters." in page


def test_long_unicode_passphrase_without_composition_rules_is_accepted(store):
    passphrase = "ünïcödé grüße aus köln 🐘 ночь улица фонарь аптека " * 20  # 1,000+ chars

    status, _page = sign_up("nina@example.com", passphrase)

    assert status == 302
    assert Customer.objects.get(email="nina@example.com").check_password(passphrase)


def test_lower_case_words_only_are_enough(store):
    status, _page = sign_up("nina@example.com", "purple elephants dance")

    assert status == 302


def test_characters_are_counted_after_unicode_normalisation(store):
    set_min_length(store, 13)
    # 13 code points, but 12 characters: NFKC joins "e" and the combining
    # accent into "é", however the keyboard composed them.
    decomposed = "cafe\u0301 au lait"

    status, page = sign_up("nina@example.com", decomposed)

    assert status == 200
    assert "Use at least 13 characters." in page


def test_password_longer_than_the_maximum_is_refused(store):
    status, page = sign_up("nina@example.com", "x" * 7 + "quiet mountain lake " * 205)

    assert status == 200
    assert f"Use at most {MAX_LENGTH} characters." in page
    assert not Customer.objects.filter(email="nina@example.com").exists()


@pytest.mark.parametrize(
    "password", ["qwerty123456", "Q1W2E3R4T5Y6", "sunshine2024!", "password12345"]
)
def test_often_used_password_is_refused(store, password):
    status, page = sign_up("nina@example.com", password)

    assert status == 200
    assert "This password is on a list of often used passwords." in page
    assert not Customer.objects.filter(email="nina@example.com").exists()


def test_password_repeating_a_few_characters_is_refused(store):
    status, page = sign_up("nina@example.com", "abcabcabcabcabc")

    assert status == 200
    assert "This password only repeats a few characters." in page


@pytest.mark.parametrize("password", ["Test Shop 2024", "testshop!!!!", "2024-TEST-SHOP"])
def test_shops_name_is_refused(store, password):
    status, page = sign_up("nina@example.com", password)

    assert status == 200
    assert "Do not use the shop&#x27;s name as your password." in page
    assert not Customer.objects.filter(email="nina@example.com").exists()


@pytest.mark.parametrize(
    "password", ["annabelle.smith", "AnnabelleSmith99", "annabelle.smith@example.com"]
)
def test_emails_local_part_is_refused(store, password):
    status, page = sign_up("annabelle.smith@example.com", password)

    assert status == 200
    assert "Do not use your email address as your password." in page
    assert not Customer.objects.filter(email="annabelle.smith@example.com").exists()


def test_shops_name_inside_a_longer_passphrase_is_fine(store):
    status, _page = sign_up("nina@example.com", "my favourite test shop sells tea")

    assert status == 302


@pytest.mark.parametrize(
    "password",
    [
        "Test Shop 2026 rocks",  # digits and a short word around it
        "TestShop2026TestShop",  # without its space, twice, digits between
        "testshoptestshoptestshop",  # repeated
        "tEsT-sHoP is great!",  # in other case, with punctuation
        "my TESTSHOP!!!",  # the rest alone is too short
    ],
)
def test_shops_name_inside_a_password_is_refused_when_the_rest_is_too_weak(store, password):
    status, page = sign_up("nina@example.com", password)

    assert status == 200
    assert "Do not use the shop&#x27;s name as your password." in page
    assert not Customer.objects.filter(email="nina@example.com").exists()


@pytest.mark.parametrize(
    "password",
    ["annabelle smith 2026 rocks", "AnnabelleSmith-annabellesmith", "xx annabelle.smith"],
)
def test_emails_local_part_inside_a_password_is_refused_when_the_rest_is_too_weak(store, password):
    status, page = sign_up("annabelle.smith@example.com", password)

    assert status == 200
    assert "Do not use your email address as your password." in page
    assert not Customer.objects.filter(email="annabelle.smith@example.com").exists()


def test_shops_name_with_a_common_password_as_the_rest_is_refused(store):
    # "password1234" alone is long enough but on the list of common passwords.
    status, page = sign_up("nina@example.com", "Test Shop password1234")

    assert status == 200
    assert "Do not use the shop&#x27;s name as your password." in page


def test_a_long_password_containing_the_shops_name_and_the_local_part_is_accepted(store):
    password = "Test Shop is where Annabelle buys green tea on Sundays"

    status, _page = sign_up("annabelle@example.com", password)

    assert status == 302
    assert Customer.objects.get(email="annabelle@example.com").check_password(password)


def test_password_reset_applies_the_same_rules(store, make_account_holder, smtp_sink):
    anna = make_account_holder(store, "anna@example.com")
    Client().post(reverse("account_reset_password"), {"email": "anna@example.com"})
    deliver_due_emails()
    link = RESET_LINK.search(smtp_sink.text_of(smtp_sink.to("anna@example.com")[-1])).group(1)
    client = Client()
    form_url = client.get(link, follow=True).wsgi_request.path

    response = client.post(form_url, {"password1": "qwerty123456", "password2": "qwerty123456"})

    assert response.status_code == 200
    assert "This password is on a list of often used passwords." in response.content.decode()
    anna.refresh_from_db()
    assert anna.check_password(PASSWORD)


@pytest.mark.parametrize("length", [7, 65])
def test_store_minimum_outside_8_to_64_is_refused(store, length):
    field = Store._meta.get_field("min_password_length")

    with pytest.raises(ValidationError):
        field.clean(length, store)


@pytest.mark.parametrize("length", [8, 64])
def test_store_minimum_at_the_bounds_is_accepted(store, length):
    field = Store._meta.get_field("min_password_length")

    assert field.clean(length, store) == length


@pytest.mark.parametrize(
    "typed",
    [
        "cre\u0300me bru\u0302le\u0301e a\u0300 la carte",  # accents typed as combining marks
        "crème brûlée à la carte",  # the same, precomposed
    ],
)
def test_password_is_compared_after_unicode_normalisation(store, make_account_holder, typed):
    anna = make_account_holder(store, "anna@example.com", password="crème brûlée à la carte")
    client = Client()

    response = client.post(
        reverse("account_login"), {"login": "anna@example.com", "password": typed}
    )

    assert response.status_code == 302
    assert client.get(reverse("storefront:my-account")).wsgi_request.user == anna


def test_a_different_password_is_still_refused(store, make_account_holder):
    make_account_holder(store, "anna@example.com", password="crème brûlée à la carte")

    response = Client().post(
        reverse("account_login"),
        {"login": "anna@example.com", "password": "creme brulee a la carte"},
    )

    assert response.status_code == 200


@pytest.mark.parametrize("length", [7, 65])
def test_store_action_refuses_a_minimum_outside_8_to_64(store, length):
    with pytest.raises(InvalidStoreSetting) as refused:
        store_actions.update_store(store, min_password_length=length)

    assert list(refused.value.errors) == ["min_password_length"]
    store.refresh_from_db()
    assert store.min_password_length == 12


def test_database_refuses_a_minimum_outside_8_to_64(store):
    with pytest.raises(IntegrityError), transaction.atomic():
        Store.objects.filter(pk=store.pk).update(min_password_length=65)
