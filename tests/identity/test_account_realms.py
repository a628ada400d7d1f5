"""Account realms at the door: stores that share accounts take one sign-in
for the same person; stores that do not keep two separate accounts for the
same email, and nothing from one opens the other."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import Customer
from shop_accounts.stores import actions as store_actions
from tests.conftest import PASSWORD

OTHER_PASSWORD = "a different passphrase entirely"
RESET_LINK = re.compile(r"http://[^\s/]+(/account/password/reset/key/[^\s]+/)")


@pytest.fixture
def sharing_stores(db):
    north = store_actions.create_store(name="North", hostname="testserver", shares_accounts=True)
    south = store_actions.create_store(
        name="South", hostname="south.testserver", shares_accounts=True
    )
    return north, south


def sign_in(client: Client, email: str, password: str, host: str):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, HTTP_HOST=host
    )


def signed_in_as(client: Client, host: str) -> Customer | None:
    user = client.get(reverse("storefront:my-account"), HTTP_HOST=host).wsgi_request.user
    return user if user.is_authenticated else None


def test_one_account_signs_in_on_every_store_sharing_accounts(sharing_stores, make_account_holder):
    north, _south = sharing_stores
    anna = make_account_holder(north, "anna@example.com")

    for host in ("testserver", "south.testserver"):
        client = Client()
        assert sign_in(client, "anna@example.com", PASSWORD, host).status_code == 302
        assert signed_in_as(client, host) == anna


def test_same_email_holds_two_accounts_in_stores_that_do_not_share(
    store, other_store, make_account_holder
):
    here = make_account_holder(store, "anna@example.com", password=PASSWORD)
    there = make_account_holder(other_store, "anna@example.com", password=OTHER_PASSWORD)
    assert here.pk != there.pk

    client = Client()
    assert sign_in(client, "anna@example.com", PASSWORD, "testserver").status_code == 302
    assert signed_in_as(client, "testserver") == here

    client = Client()
    assert (
        sign_in(client, "anna@example.com", OTHER_PASSWORD, "other.testserver").status_code == 302
    )
    assert signed_in_as(client, "other.testserver") == there


def test_password_of_one_store_does_not_open_the_account_of_another(
    store, other_store, make_account_holder
):
    make_account_holder(store, "anna@example.com", password=PASSWORD)
    make_account_holder(other_store, "anna@example.com", password=OTHER_PASSWORD)
    client = Client()

    response = sign_in(client, "anna@example.com", PASSWORD, "other.testserver")

    assert response.status_code == 200
    assert signed_in_as(client, "other.testserver") is None


def test_account_in_one_store_is_unknown_in_a_store_with_separate_accounts(
    store, other_store, make_account_holder
):
    make_account_holder(store, "anna@example.com")
    client = Client()

    response = sign_in(client, "anna@example.com", PASSWORD, "other.testserver")

    assert response.status_code == 200
    assert signed_in_as(client, "other.testserver") is None


def test_session_of_one_store_is_not_a_session_on_a_store_with_separate_accounts(
    store, other_store, make_account_holder
):
    make_account_holder(store, "anna@example.com")
    client = Client()
    sign_in(client, "anna@example.com", PASSWORD, "testserver")

    # The test client sends the same cookie to every host; a browser would
    # not, but a stolen or replayed cookie must not cross realms either.
    assert signed_in_as(client, "other.testserver") is None


def test_password_reset_link_of_one_store_is_refused_on_another(
    client, store, other_store, make_account_holder, smtp_sink
):
    make_account_holder(store, "anna@example.com", password=PASSWORD)
    make_account_holder(other_store, "anna@example.com", password=OTHER_PASSWORD)
    client.post(reverse("account_reset_password"), {"email": "anna@example.com"})
    deliver_due_emails()
    (message,) = smtp_sink.to("anna@example.com")
    link = RESET_LINK.search(smtp_sink.text_of(message)).group(1)

    page = Client().get(link, HTTP_HOST="other.testserver", follow=True)

    assert 'name="password1"' not in page.content.decode()
    assert "This link can no longer be used" in page.content.decode()
    assert 'name="password1"' in Client().get(link, follow=True).content.decode()


CONFIRM_LINK = re.compile(r"http://[^\s/]+(/account/confirm-email/[^\s]+/)")


def test_email_confirmation_link_of_one_store_is_refused_on_another(
    client, store, other_store, smtp_sink
):
    client.post(
        reverse("account_signup"),
        {
            "first_name": "Nina",
            "last_name": "Jansen",
            "email": "nina@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    deliver_due_emails()
    (message,) = smtp_sink.to("nina@example.com")
    link = CONFIRM_LINK.search(smtp_sink.text_of(message)).group(1)

    elsewhere = Client()
    assert elsewhere.post(link, HTTP_HOST="other.testserver").status_code == 404
    page = elsewhere.get(link, HTTP_HOST="other.testserver").content.decode()
    assert "This link can no longer be used" in page
    assert not EmailAddress.objects.filter(email="nina@example.com", verified=True).exists()

    Client().post(link)
    assert EmailAddress.objects.filter(email="nina@example.com", verified=True).exists()
