"""allauth's account pages as a customer reads them: our headings in sentence
case, labels without colons, the email page's buttons only where each
applies, a used reset link that says so in plain words and offers a new one,
re-authentication's other ways as a list, and signing out in one POST from
the header."""

import re
from html import unescape

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.test import Client
from django.urls import reverse

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import Customer
from tests.conftest import MERCHANT_TOTP_SECRET, PASSWORD

RESET_LINK = re.compile(r"http://testserver(/account/password/reset/key/[^\s]+/)")
NEW_PASSWORD = "a brand new passphrase"


def text(html: str) -> str:
    """What a reader sees of an HTML fragment: no tags, one space."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def all_of(tag: str, page: str) -> list[str]:
    return [text(inner) for inner in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", page, re.S)]


def heading(page: str) -> str:
    (h1,) = all_of("h1", page)
    return h1


def main(page: str) -> str:
    return re.search(r"<main\b.*?</main>", page, re.S).group(0)


def header(page: str) -> str:
    return re.search(r"<header\b.*?</header>", page, re.S).group(0)


def signed_in(customer: Customer) -> Client:
    client = Client()
    client.force_login(customer)
    return client


def is_signed_in(client: Client) -> bool:
    return client.get(reverse("storefront:my-account")).wsgi_request.user.is_authenticated


@pytest.fixture
def anna(store, make_account_holder) -> Customer:
    return make_account_holder(store, "anna@example.com", first_name="Anna")


# --- headings and labels -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "expected_heading", "expected_labels"),
    [
        (
            "account_change_password",
            "Change your password",
            ["Current password", "New password", "New password again"],
        ),
        ("account_email", "Email addresses", ["Email address"]),
        ("account_reauthenticate", "Confirm it is you", ["Password"]),
        ("account_logout", "Sign out", []),
    ],
)
def test_signed_in_account_pages_read_in_sentence_case_with_labels_without_colons(
    anna, url_name, expected_heading, expected_labels
):
    page = signed_in(anna).get(reverse(url_name)).content.decode()

    assert heading(page) == expected_heading
    assert all_of("label", main(page)) == expected_labels


def test_a_customer_without_a_password_is_offered_to_set_one(store):
    nina = Customer.objects.create_user("nina@example.com", None, store=store)

    page = signed_in(nina).get(reverse("account_set_password")).content.decode()

    assert heading(page) == "Set a password"
    assert all_of("label", main(page)) == ["Password", "Password again"]
    assert "Set password" in all_of("button", main(page))


@pytest.mark.parametrize(
    ("url_name", "expected_heading", "expected_button"),
    [
        ("account_reset_password", "Reset your password", "Reset my password"),
        ("account_reset_password_done", "Check your inbox", None),
        ("account_reset_password_from_key_done", "Your password is changed", None),
        ("account_request_login_code", "Email me a sign-in code", "Send the code"),
    ],
)
def test_signed_out_account_pages_read_in_sentence_case(
    client, store, url_name, expected_heading, expected_button
):
    page = client.get(reverse(url_name)).content.decode()

    assert heading(page) == expected_heading
    assert all(not label.endswith(":") for label in all_of("label", main(page)))
    if expected_button:
        assert all_of("button", main(page)) == [expected_button]


# --- the password reset link ---------------------------------------------------------


def emailed_reset_link(smtp_sink, email: str) -> str:
    Client().post(reverse("account_reset_password"), {"email": email})
    deliver_due_emails()
    (message,) = smtp_sink.to(email)
    return RESET_LINK.search(smtp_sink.text_of(message)).group(1)


def test_a_used_reset_link_says_it_cannot_be_used_any_more_and_offers_a_new_one(anna, smtp_sink):
    link = emailed_reset_link(smtp_sink, "anna@example.com")
    first = Client()
    form = first.get(link, follow=True)
    assert heading(form.content.decode()) == "Choose a new password"
    assert all_of("label", main(form.content.decode())) == ["New password", "New password again"]
    first.post(form.wsgi_request.path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = Client().get(link, follow=True).content.decode()

    assert heading(again) == "This link can no longer be used"
    assert "Bad Token" not in again
    new_link = reverse("account_reset_password")
    assert f'<a class="button" href="{new_link}">Email me a new link</a>' in again


@pytest.mark.parametrize(
    ("language", "expected_heading"),
    [
        ("de", "Dieser Link kann nicht mehr verwendet werden"),
        ("nl", "Deze link kan niet meer worden gebruikt"),
        ("nb", "Denne lenken kan ikke brukes lenger"),
        ("it", "Questo link non può più essere usato"),
    ],
)
def test_a_broken_reset_link_is_explained_in_the_customers_language(
    client, store, language, expected_heading
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get("/account/password/reset/key/1-not-a-real-key/", follow=True)

    assert heading(page.content.decode()) == expected_heading


# --- email confirmation ---------------------------------------------------------------


def test_the_confirmation_link_asks_plainly_to_confirm_the_address(client, anna):
    pending = EmailAddress.objects.create(user=anna, email="anna.new@example.com")

    page = client.get(reverse("account_confirm_email", args=[EmailConfirmationHMAC(pending).key]))

    html = page.content.decode()
    assert heading(html) == "Confirm your email address"
    assert "Confirm your email address anna.new@example.com." in text(main(html))
    assert "Please confirm that" not in html
    assert "for user" not in html
    assert all_of("button", main(html)) == ["Confirm my email address"]


def test_an_unknown_confirmation_link_says_it_cannot_be_used(client, store):
    page = client.get(reverse("account_confirm_email", args=["not-a-key"])).content.decode()

    assert heading(page) == "This link can no longer be used"


# --- the email page's buttons per address --------------------------------------------


def buttons_per_address(page: str) -> dict[str, list[str]]:
    cards = re.findall(r'<li class="card">(.*?)</li>', main(page), re.S)
    return {all_of("h2", card)[0]: all_of("button", card) for card in cards}


def test_the_email_page_offers_only_the_buttons_that_apply_to_each_address(anna):
    EmailAddress.objects.create(user=anna, email="anna.work@example.com", verified=True)
    EmailAddress.objects.create(user=anna, email="anna.new@example.com", verified=False)

    page = signed_in(anna).get(reverse("account_email")).content.decode()

    assert buttons_per_address(page) == {
        "anna@example.com": [],
        "anna.new@example.com": ["Send the link again", "Remove"],
        "anna.work@example.com": ["Make primary", "Remove"],
    }
    assert "Re-send" not in page
    assert "Make Primary" not in page


@pytest.mark.parametrize(
    ("language", "make_primary", "send_again", "remove"),
    [
        ("de", "Als Hauptadresse festlegen", "Link erneut senden", "Entfernen"),
        ("nl", "Primair maken", "Link opnieuw sturen", "Verwijderen"),
        ("nb", "Gjør til hovedadresse", "Send lenken på nytt", "Fjern"),
        ("it", "Rendi principale", "Invia di nuovo il link", "Rimuovi"),
    ],
)
def test_the_email_pages_buttons_speak_the_customers_language(
    anna, language, make_primary, send_again, remove
):
    EmailAddress.objects.create(user=anna, email="anna.work@example.com", verified=True)
    EmailAddress.objects.create(user=anna, email="anna.new@example.com", verified=False)
    client = signed_in(anna)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(reverse("account_email")).content.decode()

    assert buttons_per_address(page) == {
        "anna@example.com": [],
        "anna.new@example.com": [send_again, remove],
        "anna.work@example.com": [make_primary, remove],
    }


def test_the_only_address_has_no_buttons(anna):
    page = signed_in(anna).get(reverse("account_email")).content.decode()

    assert buttons_per_address(page) == {"anna@example.com": []}


def test_send_the_link_again_emails_a_confirmation_link_to_that_address(anna, smtp_sink):
    EmailAddress.objects.create(user=anna, email="anna.new@example.com", verified=False)
    client = signed_in(anna)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    answer = client.post(
        reverse("account_email"), {"action_send": "", "email": "anna.new@example.com"}
    )
    deliver_due_emails()

    assert answer.status_code == 302
    assert len(smtp_sink.to("anna.new@example.com")) == 1


# --- the code entry page ---------------------------------------------------------------


def test_the_code_entry_page_names_the_address_and_labels_the_code(client, anna, smtp_sink):
    client.post(reverse("account_request_login_code"), {"email": "anna@example.com"})

    page = client.get(reverse("account_confirm_login_code")).content.decode()

    assert heading(page) == "Enter your sign-in code"
    assert "We have emailed a code to anna@example.com." in text(main(page))
    assert all_of("label", main(page)) == ["Code"]
    assert all_of("button", main(page))[0] == "Confirm"
    assert "Cancel" in all_of("button", main(page))


# --- re-authentication ------------------------------------------------------------------


def test_reauthentication_lists_the_other_ways_one_per_line(anna):
    TOTP.activate(anna, MERCHANT_TOTP_SECRET)

    page = signed_in(anna).get(reverse("account_reauthenticate")).content.decode()

    assert all_of("h2", main(page)) == ["Other ways to confirm"]
    other_ways = re.search(r'<ul class="link-list">(.*?)</ul>', page, re.S).group(1)
    assert all_of("li", other_ways) == [
        "Enter a code from your authenticator app or a recovery code"
    ]
    assert f'href="{reverse("mfa_reauthenticate")}' in other_ways


# --- header and sign-out ---------------------------------------------------------------


def test_the_sign_in_page_has_no_sign_in_link_in_its_header(client, store):
    login_url = reverse("account_login")

    on_sign_in = client.get(login_url).content.decode()
    on_home = client.get(reverse("storefront:home")).content.decode()

    assert f'href="{login_url}"' not in header(on_sign_in)
    assert f'href="{login_url}"' in header(on_home)


def test_the_headers_sign_out_button_ends_the_session_in_one_post(anna):
    client = Client(enforce_csrf_checks=True)
    client.force_login(anna)
    page = client.get(reverse("storefront:my-account")).content.decode()
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', header(page), re.S)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(2)).group(1)
    assert form.group(1) == reverse("account_logout")
    assert all_of("button", form.group(2)) == ["Sign out"]

    answer = client.post(form.group(1), {"csrfmiddlewaretoken": token})

    assert answer.status_code == 302
    assert answer["Location"] == "/"
    assert not is_signed_in(client)


def test_a_sign_out_post_without_the_csrf_token_is_refused(anna):
    client = Client(enforce_csrf_checks=True)
    client.force_login(anna)

    answer = client.post(reverse("account_logout"))

    assert answer.status_code == 403
    assert is_signed_in(client)


def test_opening_the_sign_out_address_asks_first_and_keeps_the_session(anna):
    client = signed_in(anna)

    page = client.get(reverse("account_logout")).content.decode()

    assert heading(page) == "Sign out"
    assert "You are signed in as anna@example.com. Are you sure you want to sign out?" in text(
        main(page)
    )
    assert all_of("button", main(page)) == ["Sign out"]
    assert is_signed_in(client)


def test_reauthentication_with_the_authenticator_app_labels_its_code_and_offers_the_password(
    anna,
):
    TOTP.activate(anna, MERCHANT_TOTP_SECRET)

    page = signed_in(anna).get(reverse("mfa_reauthenticate")).content.decode()

    assert heading(page) == "Confirm it is you"
    assert all_of("label", main(page)) == ["Code from your authenticator app or a recovery code"]
    other_ways = re.search(r'<ul class="link-list">(.*?)</ul>', page, re.S).group(1)
    assert all_of("li", other_ways) == ["Enter your password"]


@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("de", "Möchten Sie sich wirklich abmelden?"),
        ("nl", "Weet je zeker dat je wilt uitloggen?"),
        ("nb", "Er du sikker på at du vil logge ut?"),
        # Not allauth's "Sei sicuro", which assumes a man.
        ("it", "Vuoi davvero disconnetterti?"),
    ],
)
def test_the_sign_out_page_asks_in_the_customers_language(anna, language, question):
    client = signed_in(anna)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(reverse("account_logout")).content.decode()

    assert question in text(main(page))
