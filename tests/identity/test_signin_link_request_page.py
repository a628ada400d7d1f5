"""The page that asks for an emailed sign-in link labels its field like our
other forms: without a colon, in every language."""

import re

import pytest
from django.conf import settings
from django.test import Client


@pytest.mark.parametrize(("language", "label"), [("en", "Email"), ("de", "E-Mail")])
def test_the_email_label_ends_without_a_colon(store, language, label):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get("/account/login/link/").content.decode()

    assert re.search(rf'<label for="id_email">\s*{label}\s*</label>', page), page
