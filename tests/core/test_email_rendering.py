"""Emails are plain text where they are plain text: a subject or text body
says "Prices & delivery (from O'Brien)", not "Prices &amp; delivery (from
O&#x27;Brien)", whatever store name or customer input it holds; the HTML
part, built from the same text, is escaped."""

import re
from pathlib import Path

from django.test import Client
from django.urls import reverse

from shop_accounts.core.outbox import deliver_due_emails, queue_templated_email
from shop_accounts.identity.actions import send_password_reset
from shop_accounts.stores import actions as store_actions

STORE_NAME = "Jansen & O'Brien"
TEST_TEMPLATES = Path(__file__).parent / "templates"


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")


def test_subject_and_text_are_unescaped_and_the_html_is_escaped(store, settings, smtp_sink):
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], TEST_TEMPLATES]}]
    store = store_actions.update_store(store, name=STORE_NAME)

    queue_templated_email(
        "tests/emails/notice",
        {"name": "O'Brien", "title": "Prices & <delivery>", "store": store},
        recipient="anna@example.com",
        language="en",
    )
    deliver_due_emails()

    (message,) = smtp_sink.to("anna@example.com")
    assert message["Subject"] == "Prices & <delivery> (Jansen & O'Brien)"
    assert text_of(message) == "Hello O'Brien,\n\nPrices & <delivery>\n"
    html = html_of(message)
    assert "Hello O'Brien,</p>" in html
    assert "Prices &amp; &lt;delivery&gt;</p>" in html
    assert "<delivery>" not in html


def test_the_sign_in_link_email_names_a_store_with_an_ampersand_as_it_is(
    store, make_account_holder, smtp_sink
):
    store_actions.update_store(store, name=STORE_NAME)
    make_account_holder(store, "anna@example.com", first_name="Ann'e")

    Client().post(reverse("identity:signin-link-request"), {"email": "anna@example.com"})
    deliver_due_emails()

    (message,) = smtp_sink.to("anna@example.com")
    assert message["Subject"] == "Your sign-in link for Jansen & O'Brien"
    text = text_of(message)
    assert text.startswith("Hello Ann'e,\n")
    assert "\nJansen & O'Brien\n\n-- \nJansen & O'Brien\nhttp://testserver/\n" in text


def test_the_password_email_of_the_merchant_names_the_store_as_it_is(
    store, make_account_holder, smtp_sink
):
    store_actions.update_store(store, name=STORE_NAME)
    anna = make_account_holder(store, "anna@example.com")

    send_password_reset(anna, actor=None)
    deliver_due_emails()

    (message,) = smtp_sink.to("anna@example.com")
    assert message["Subject"] == "Set your password for Jansen & O'Brien"


def test_allauths_emails_name_the_store_as_it_is(store, smtp_sink):
    store_actions.update_store(store, name=STORE_NAME)

    Client().post(
        reverse("account_signup"),
        {
            "first_name": "Nina",
            "last_name": "Jansen",
            "email": "new@example.com",
            "password1": "a long and new passphrase",
            "password2": "a long and new passphrase",
        },
    )
    deliver_due_emails()

    (message,) = smtp_sink.to("new@example.com")
    assert message["Subject"] == "Activate your account at Jansen & O'Brien"
    text = text_of(message)
    assert "Thank you for registering at Jansen & O'Brien." in text
    assert not re.search(r"&amp;|&#x27;", text)
