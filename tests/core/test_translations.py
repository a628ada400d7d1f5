"""Shoppers read one voice per language, also on the pages and emails that are
django-allauth's own. Our German addresses customers as "Sie"; where allauth's
German says "du", shop_accounts/locale_allauth rewords it."""

import re
from pathlib import Path

import allauth
import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from shop_accounts.core.outbox import deliver_due_emails

ALLAUTH_GERMAN = Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"
OUR_ALLAUTH_GERMAN = settings.BASE_DIR / "shop_accounts" / "locale_allauth" / "de" / "LC_MESSAGES"
INFORMAL = re.compile(r"\b(du|dein\w*|dich|dir)\b", re.IGNORECASE)


def msgids(po_file: Path) -> set[str]:
    return {entry.msgid for entry in polib.pofile(str(po_file)) if not entry.obsolete}


OUR_REWORDINGS = sorted(msgids(OUR_ALLAUTH_GERMAN / "django.po"))


def test_every_rewording_still_matches_a_text_of_allauth():
    assert OUR_REWORDINGS
    assert set(OUR_REWORDINGS) <= msgids(ALLAUTH_GERMAN)


@pytest.mark.parametrize("msgid", OUR_REWORDINGS)
def test_our_german_wording_wins_over_allauths(msgid):
    with translation.override("de"):
        german = translation.gettext(msgid)

    assert german != msgid
    assert not INFORMAL.search(german), german


def test_the_german_password_reset_email_says_sie(store, make_account_holder, smtp_sink):
    make_account_holder(store, "anna@example.com", language="de")

    Client().post(reverse("account_reset_password"), {"email": "anna@example.com"})
    deliver_due_emails()

    (message,) = smtp_sink.to("anna@example.com")
    text = smtp_sink.text_of(message)
    assert "Sie erhalten diese E-Mail" in text
    assert not INFORMAL.search(text), text


def test_the_german_sign_out_page_says_sie(store, make_account_holder):
    client = Client()
    client.force_login(make_account_holder(store, "anna@example.com", language="de"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    page = client.get(reverse("account_logout")).content.decode()

    assert "Möchten Sie sich wirklich abmelden?" in page
