"""The pages a customer sees from the first factor of a sign-in on speak the
customer's language: the second-factor step, allauth's "Signed in as"
message, the page after; an invitation opens in the invited customer's
language. The visitor's own choice on this device (the language cookie)
still wins. Country names are in the page's language, and the language menu
names every language as it writes itself, in one style."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer
from shop_accounts.identity import invitations
from shop_accounts.identity.allauth_internals import TOTP
from shop_accounts.stores.models import Store
from tests.conftest import PASSWORD
from tests.totp import current_totp

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"
AUTHENTICATE = "/account/2fa/authenticate/"
LINK_URL = re.compile(r"http://testserver(/account/invitation/[A-Za-z0-9_\-]+/)")


@pytest.fixture
def maxi(store: Store, make_account_holder) -> Customer:
    """A German customer of the (English) store."""
    assert store.default_language == "en"
    return make_account_holder(store, "maxi@example.com", first_name="Maxi", language="de")


def sign_in(client: Client, email: str = "maxi@example.com"):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def signed_in_message(language: str, name: str) -> str:
    with translation.override(language):
        return translation.gettext("Successfully signed in as %(name)s.") % {"name": name}


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_german_customer_is_told_in_german_that_they_signed_in(client, maxi):
    response = sign_in(client)

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert messages_of(page) == [signed_in_message("de", "Maxi")]
    assert messages_of(page) == ["Erfolgreich als Maxi angemeldet."]
    assert page["Content-Language"] == "de"
    assert '<html lang="de">' in page.content.decode()


def test_the_second_factor_step_of_a_german_customer_is_in_german(client, maxi):
    TOTP.activate(maxi, SECRET)

    response = sign_in(client)

    assert response.status_code == 302
    assert response["Location"] == AUTHENTICATE
    step = client.get(AUTHENTICATE)
    html = step.content.decode()
    assert step.status_code == 200
    assert step["Content-Language"] == "de"
    assert '<html lang="de">' in html
    assert "Your account is protected" not in html

    done = client.post(AUTHENTICATE, {"code": current_totp(SECRET)})

    assert done.status_code == 302
    assert messages_of(client.get(done["Location"])) == [signed_in_message("de", "Maxi")]


def test_the_visitors_own_choice_on_this_device_still_wins(client, maxi, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"

    response = sign_in(client)
    page = client.get(response["Location"])

    assert page["Content-Language"] == "nl"
    assert messages_of(page) == [signed_in_message("nl", "Maxi")]


def test_a_wrong_password_does_not_reveal_the_accounts_language(client, maxi):
    response = client.post(
        reverse("account_login"), {"login": "maxi@example.com", "password": "not the password"}
    )

    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert client.get(reverse("storefront:home"))["Content-Language"] == "en"


def test_a_german_invitation_opens_in_german(client, store, merchant, smtp_sink):
    jan = actions.create_customer(
        store=store, email="jan@example.com", actor=None, first_name="Jan", language="de"
    )
    invitations.invite_customer(jan, store=store, actor=merchant)
    deliver_due_emails()
    (message,) = smtp_sink.to("jan@example.com")
    path = LINK_URL.search(smtp_sink.text_of(message)).group(1)

    page = client.get(path)

    html = page.content.decode()
    assert page.status_code == 200
    assert page["Content-Language"] == "de"
    assert "<h1>Eröffnen Sie Ihr Kundenkonto bei Test Shop</h1>" in html
    assert "Open your account" not in html

    accepted = client.post(
        path, {"password1": "ein langer Weg am Strand", "password2": "ein langer Weg am Strand"}
    )
    landing = client.get(accepted["Location"])
    assert landing["Content-Language"] == "de"
    with translation.override("de"):
        welcome = translation.gettext(
            "Your account is open. Tip: add a passkey under “Sign-in and security” "
            "to sign in next time without typing your password."
        )
    assert welcome in messages_of(landing)
    assert welcome.startswith("Ihr Kundenkonto ist eröffnet")


def test_country_names_are_in_the_pages_language(client, maxi):
    actions.add_address(maxi, actor=maxi, street="Hauptstraße 1", city="Berlin", country="NL")
    client.force_login(maxi)
    client.cookies["django_language"] = "de"

    html = client.get(reverse("storefront:my-account")).content.decode()

    assert "Niederlande<br>" in html
    assert "Netherlands" not in html


def test_the_language_menu_names_each_language_as_it_writes_itself_in_one_style(client, store):
    html = client.get(reverse("storefront:home")).content.decode()

    options = re.findall(r'<option value="(\w+)" lang="\w+"[^>]*>([^<]+)</option>', html)
    assert options == [
        ("en", "English"),
        ("de", "Deutsch"),
        ("nl", "Nederlands"),
        ("nb", "Norsk bokmål"),
        ("it", "Italiano"),
    ]
