"""Every email the product sends has a text and an HTML part from one
template, in the store's colour and logo, with the same links in both."""

import re

import pytest

from shop_accounts.identity.email_previews import default_email_text, render_sample
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.email_kinds import EMAIL_KINDS
from shop_accounts.stores.errors import InvalidStoreSetting

BRAND = "#8a2be2"
LOGO = "https://cdn.example.com/logo.png"
HREF = re.compile(r'href="(https?://[^"]+)"')
TAG = re.compile(r"</?(p|a|br|div|table|tr|td|strong|img|span|html|body)\b", re.IGNORECASE)
URL = re.compile(r"https?://\S+")


@pytest.fixture
def branded_store(store):
    return store_actions.update_store(
        store, email_colour=BRAND, email_logo_url=LOGO, postal_address="Hauptstraße 1\n10115 Berlin"
    )


@pytest.mark.parametrize("key", list(EMAIL_KINDS))
def test_each_email_kind_has_a_text_and_a_branded_html_part(branded_store, key):
    kind = EMAIL_KINDS[key]

    email = render_sample(kind, branded_store, "en")

    assert email.subject.strip() and "\n" not in email.subject
    assert email.text.strip()
    assert not TAG.search(email.text), email.text
    assert BRAND in email.html
    assert f'src="{LOGO}"' in email.html
    assert "Hauptstraße 1<br>10115 Berlin" in email.html
    assert "<style" not in email.html  # inlined for Gmail and Outlook
    assert HREF.findall(email.html) == URL.findall(email.text)


@pytest.mark.parametrize("key", list(EMAIL_KINDS))
def test_each_email_kind_has_a_default_message_to_start_from(store, key):
    subject, message = default_email_text(EMAIL_KINDS[key], store, "de")

    assert subject.strip()
    assert message.strip()


def test_a_merchants_message_is_escaped_in_the_html_part_and_kept_in_the_text(branded_store):
    email = render_sample(
        EMAIL_KINDS["password_changed"],
        branded_store,
        "en",
        subject="<b>Hi</b> {first_name} & co",
        message='Dear {first_name}, <script>alert("x")</script> & welcome.',
    )

    assert email.subject == "<b>Hi</b> Anna & co"
    assert 'Dear Anna, <script>alert("x")</script> & welcome.' in email.text
    assert "<script>" not in email.html
    assert "&lt;script&gt;" in email.html


def test_a_colour_that_is_not_hex_and_a_logo_that_is_not_https_are_refused(store):
    with pytest.raises(InvalidStoreSetting) as refused:
        store_actions.update_store(
            store, email_colour="red", email_logo_url="http://x.example/l.png"
        )

    assert refused.value.errors == {
        "email_colour": ["Enter a colour as # and six hexadecimal digits, e.g. #1f4e79."],
        "email_logo_url": ["Enter a valid URL."],
    }
    store.refresh_from_db()
    assert (store.email_colour, store.email_logo_url) == ("#1f4e79", "")
