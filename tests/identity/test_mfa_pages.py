"""allauth's two-factor pages as a customer reads them, in every language: one
word for passkeys ("passkey", never "security key"), no "Passwordless" choice
(every passkey added signs in on its own), recovery codes as a list with a
download and a clear "I have saved them", and passkeys that can be told apart
in the list (named after the device, numbered when the name is taken)."""

import html
import json
import os
import re
from datetime import UTC, datetime, timedelta
from hashlib import sha256
from pathlib import Path

import allauth
import polib
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import Customer
from shop_accounts.stores import actions as store_actions
from tests.conftest import MERCHANT_TOTP_SECRET, PASSWORD
from tests.totp import current_totp

FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
)
LANGUAGES = ("en", "de", "nl", "nb", "it")
# How each language says "security key", the word we no longer use.
SECURITY_KEY = {
    "en": re.compile(r"security\s+keys?", re.IGNORECASE),
    "de": re.compile(r"sicherheitsschlüssel", re.IGNORECASE),
    "nl": re.compile(r"beveiligingssleutel", re.IGNORECASE),
    "nb": re.compile(r"sikkerhetsnøk", re.IGNORECASE),
    "it": re.compile(r"chiavi? di sicurezza", re.IGNORECASE),
}
PASSKEY = {"en": "passkey", "de": "Passkey", "nl": "passkey", "nb": "passnøkkel", "it": "passkey"}
ADD_A_PASSKEY = {
    "en": "Add a passkey",
    "de": "Passkey hinzufügen",
    "nl": "Passkey toevoegen",
    "nb": "Legg til en passnøkkel",
    "it": "Aggiungi una passkey",
}
PASSWORDLESS = re.compile(r"passwordless|passwortlos|wachtwoordloos|passordløs", re.IGNORECASE)


def visible_text(html: str) -> str:
    body = re.sub(r"(?s)<(script|style|head)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def signed_in(customer: Customer, *, language: str = "en", user_agent: str = "") -> Client:
    """A browser that has just signed in with the password (and the app's
    code where there is one) and given it again (so allauth does not ask for
    it before a change), showing pages in `language`."""
    # WebAuthn accepts plain http on localhost only (the store answers there).
    client = Client(HTTP_USER_AGENT=user_agent, HTTP_HOST="localhost")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(
        reverse("account_login"), {"login": customer.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    if response["Location"] == reverse("mfa_authenticate"):
        code = current_totp(MERCHANT_TOTP_SECRET)
        response = client.post(reverse("mfa_authenticate"), {"code": code})
        assert response.status_code == 302
    again = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert again.status_code == 302
    return client


def creation_options(page) -> dict:
    """What the add-a-passkey page hands the browser's WebAuthn API."""
    found = re.search(r'<script id="js_data" type="application/json">(.*?)</script>', page)
    assert found
    return json.loads(html.unescape(found.group(1)))["creation_options"]["publicKey"]


def device_creates_passkey(options: dict, *, discoverable: bool = True) -> str:
    """What a phone's authenticator answers to those options: a new key pair,
    verified with its screen lock, attested with "none" (as most passkeys
    are). `discoverable` is whether it could keep it as a passkey."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    credential_id = os.urandom(16)
    attested = AttestedCredentialData.create(
        b"\0" * 16, credential_id, ES256.from_cryptography_key(private_key.public_key())
    )
    flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV | AuthenticatorData.FLAG.AT
    auth_data = AuthenticatorData.create(
        sha256(options["rp"]["id"].encode()).digest(), flags, 0, attested
    )
    client_data = CollectedClientData.create(
        "webauthn.create", websafe_decode(options["challenge"]), "http://localhost"
    )
    return json.dumps(
        {
            "id": websafe_encode(credential_id),
            "rawId": websafe_encode(credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": websafe_encode(bytes(client_data)),
                "attestationObject": websafe_encode(
                    bytes(AttestationObject.create("none", auth_data, {}))
                ),
            },
            "clientExtensionResults": {"credProps": {"rk": discoverable}},
        }
    )


def add_passkey(client: Client, name: str = "", *, discoverable: bool = True):
    page = client.get(reverse("mfa_add_webauthn")).content.decode()
    credential = device_creates_passkey(creation_options(page), discoverable=discoverable)
    return client.post(reverse("mfa_add_webauthn"), {"name": name, "credential": credential})


def passkey(customer: Customer, name: str = "Laptop") -> Authenticator:
    """A passkey on the customer's account, as allauth stores one."""
    options = {"rp": {"id": "localhost"}, "challenge": websafe_encode(os.urandom(16))}
    credential = json.loads(device_creates_passkey(options))
    return Authenticator.objects.create(
        user=customer,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": name, "credential": credential},
    )


@pytest.fixture
def anna(store, make_account_holder) -> Customer:
    return make_account_holder(store, "anna@example.com", first_name="Anna")


def with_every_factor(customer: Customer) -> Customer:
    TOTP.activate(customer, MERCHANT_TOTP_SECRET)
    RecoveryCodes.activate(customer)
    passkey(customer)
    return customer


def mfa_pages(customer: Customer) -> list[str]:
    key = Authenticator.objects.filter(user=customer, type=Authenticator.Type.WEBAUTHN).first()
    return [
        reverse("storefront:my-account"),
        reverse("mfa_index"),
        reverse("mfa_view_recovery_codes"),
        reverse("mfa_generate_recovery_codes"),
        reverse("mfa_deactivate_totp"),
        reverse("mfa_list_webauthn"),
        reverse("mfa_add_webauthn"),
        reverse("mfa_edit_webauthn", kwargs={"pk": key.pk}),
        reverse("mfa_remove_webauthn", kwargs={"pk": key.pk}),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_two_factor_pages_say_passkey_and_never_security_key(anna, language):
    client = signed_in(with_every_factor(anna), language=language)

    for path in mfa_pages(anna):
        response = client.get(path)
        assert response.status_code == 200, path
        text = visible_text(response.content.decode())
        assert not SECURITY_KEY[language].search(text), (path, text)
        assert not PASSWORDLESS.search(text), (path, text)
    overview = visible_text(client.get(reverse("mfa_index")).content.decode())
    assert PASSKEY[language] in overview
    assert ADD_A_PASSKEY[language] in overview


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_authenticator_app_setup_page_says_it_in_the_language(anna, language):
    client = signed_in(anna, language=language)

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert not SECURITY_KEY[language].search(text), text
    # Labels say what to enter, without a colon.
    assert not re.search(r"<label[^>]*>[^<]*:\s*</label>", response.content.decode())


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_passkey_emails_say_passkey(anna, smtp_sink, language):
    anna.language = language
    anna.save(update_fields=["language"])
    client = signed_in(anna, language=language)
    key = passkey(anna)
    passkey(anna, "Phone")  # a store may keep one; anna keeps two

    client.post(reverse("mfa_remove_webauthn", kwargs={"pk": key.pk}))

    deliver_due_emails()
    (message,) = smtp_sink.to("anna@example.com")
    text = message["Subject"] + "\n" + smtp_sink.text_of(message)
    assert PASSKEY[language] in text, text
    assert not SECURITY_KEY[language].search(text), text


@pytest.mark.parametrize("language", LANGUAGES)
def test_allauths_passkey_texts_say_passkey(language):
    # The texts of allauth's passkey emails, messages and sign-in buttons as
    # our catalogues word them (the pages above use our own templates).
    texts = [
        "Use a security key",
        "A new security key has been added.",
        "Security Key Added",
        "A security key has been removed.",
        "Security Key Removed",
        "Security key added.",
        "Security key removed.",
        "Passkey",
    ]
    with translation.override(language):
        worded = [translation.gettext(text) for text in texts]
    assert [text for text in worded if SECURITY_KEY[language].search(text)] == []


def test_the_add_passkey_form_has_no_passwordless_choice_and_asks_for_a_passkey(anna):
    client = signed_in(anna)

    page = client.get(reverse("mfa_add_webauthn"))

    assert page.status_code == 200
    assert "passwordless" not in page.context["form"].fields
    selection = page.context["js_data"]["creation_options"]["publicKey"]["authenticatorSelection"]
    # A discoverable credential the device verifies: it signs in on its own.
    assert selection["residentKey"] == "required"
    assert selection["userVerification"] == "required"
    assert 'type="checkbox"' not in page.content.decode()


def test_a_new_passkey_is_named_after_the_device(anna):
    client = signed_in(anna, user_agent=FIREFOX_ON_WINDOWS)

    page = client.get(reverse("mfa_add_webauthn"))

    assert page.context["form"]["name"].value() == "Passkey on Firefox 128 on Windows 10"


def test_two_passkeys_from_one_device_get_distinct_default_names(anna):
    client = signed_in(anna, user_agent=FIREFOX_ON_WINDOWS)
    first = client.get(reverse("mfa_add_webauthn")).context["form"]["name"].value()
    passkey(anna, first)

    second = client.get(reverse("mfa_add_webauthn")).context["form"]["name"].value()
    passkey(anna, second)
    third = client.get(reverse("mfa_add_webauthn")).context["form"]["name"].value()

    assert [first, second, third] == [
        "Passkey on Firefox 128 on Windows 10",
        "Passkey on Firefox 128 on Windows 10 (2)",
        "Passkey on Firefox 128 on Windows 10 (3)",
    ]


def test_the_default_name_is_in_the_customers_language(anna):
    client = signed_in(anna, language="de", user_agent=FIREFOX_ON_WINDOWS)

    name = client.get(reverse("mfa_add_webauthn")).context["form"]["name"].value()

    assert name == "Passkey auf Firefox 128 auf Windows 10"


def test_renaming_a_passkey_to_the_name_of_another_is_refused(anna):
    client = signed_in(anna)
    laptop = passkey(anna, "Laptop")
    passkey(anna, "Phone")

    response = client.post(
        reverse("mfa_edit_webauthn", kwargs={"pk": laptop.pk}), {"name": "Phone"}
    )

    assert response.status_code == 200
    assert "You already have a passkey called “Phone”. Choose another name." in (
        response.content.decode()
    )
    laptop.refresh_from_db()
    assert laptop.data["name"] == "Laptop"


def test_renaming_a_passkey_keeps_the_new_name(anna):
    client = signed_in(anna)
    laptop = passkey(anna, "Laptop")

    response = client.post(
        reverse("mfa_edit_webauthn", kwargs={"pk": laptop.pk}), {"name": "  Work laptop "}
    )

    assert response.status_code == 302
    laptop.refresh_from_db()
    assert laptop.data["name"] == "Work laptop"


def test_the_passkey_list_says_when_each_was_added_and_last_used(anna):
    client = signed_in(anna)
    passkey(anna, "Laptop")
    passkey(anna, "Phone")
    pi_day = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
    keys = Authenticator.objects.filter(user=anna, type=Authenticator.Type.WEBAUTHN)
    keys.update(created_at=pi_day)
    keys.filter(data__name="Phone").update(last_used_at=timezone.now() - timedelta(hours=3))

    text = visible_text(client.get(reverse("mfa_list_webauthn")).content.decode())

    assert "Laptop Added March 14, 2026 Last used Not used yet" in text
    assert "Phone Added March 14, 2026 Last used 3 hours ago" in text


def test_the_recovery_codes_page_lists_the_codes_with_download_and_i_have_saved_them(anna):
    TOTP.activate(anna, MERCHANT_TOTP_SECRET)
    codes = RecoveryCodes.activate(anna).get_unused_codes()
    client = signed_in(anna)

    page = client.get(reverse("mfa_view_recovery_codes"))

    html = page.content.decode()
    listed = re.findall(r"<li><code>([^<]+)</code></li>", html)
    assert listed == codes
    assert "<textarea" not in html
    assert f'href="{reverse("mfa_download_recovery_codes")}" download>Download</a>' in html
    assert f'<a class="button" href="{reverse("mfa_index")}">I have saved them</a>' in html
    assert ">Print</button>" in html
    download = client.get(reverse("mfa_download_recovery_codes"))
    assert download["Content-Disposition"] == 'attachment; filename="recovery-codes.txt"'
    assert download.content.decode().split() == codes


def test_making_new_recovery_codes_warns_that_the_old_ones_stop_working(anna):
    TOTP.activate(anna, MERCHANT_TOTP_SECRET)
    RecoveryCodes.activate(anna)
    client = signed_in(anna)

    text = visible_text(client.get(reverse("mfa_generate_recovery_codes")).content.decode())

    assert (
        "Your 10 unused codes stop working as soon as you make new ones. "
        "Print or save the new codes."
    ) in text


def test_a_store_with_passkeys_only_shows_passkeys_on_the_overview(store, anna):
    store_actions.update_store(store, two_factor="off", signin_with_passkey=True)
    client = signed_in(anna)

    text = visible_text(client.get(reverse("mfa_index")).content.decode())

    assert "Passkeys" in text
    assert "Authenticator app" not in text
    assert "Recovery codes" not in text


def test_a_passkey_added_signs_in_on_its_own_and_a_taken_name_gets_a_number(anna, smtp_sink):
    client = signed_in(anna, user_agent=FIREFOX_ON_WINDOWS)

    first = add_passkey(client)
    second = add_passkey(client)
    named = add_passkey(client, "Passkey on Firefox 128 on Windows 10")

    # The first passkey comes with recovery codes (allauth makes them then).
    assert first["Location"] == reverse("mfa_view_recovery_codes")
    assert second["Location"] == named["Location"] == reverse("mfa_index")
    passkeys = Authenticator.objects.filter(user=anna, type=Authenticator.Type.WEBAUTHN)
    assert sorted(key.wrap().name for key in passkeys) == [
        "Passkey on Firefox 128 on Windows 10",
        "Passkey on Firefox 128 on Windows 10 (2)",
        "Passkey on Firefox 128 on Windows 10 (3)",
    ]
    assert [key.wrap().is_passwordless for key in passkeys] == [True, True, True]
    deliver_due_emails()
    subjects = [message["Subject"] for message in smtp_sink.to("anna@example.com")]
    assert subjects.count("A passkey was added to your account") == 3


def test_a_device_that_cannot_keep_a_passkey_is_refused_with_a_reason(anna):
    client = signed_in(anna)

    response = add_passkey(client, "Old key", discoverable=False)

    assert response.status_code == 200
    assert (
        "This device could not keep a passkey that signs you in on its own."
        in response.content.decode()
    )
    assert not Authenticator.objects.filter(user=anna, type=Authenticator.Type.WEBAUTHN).exists()


def test_every_english_rewording_still_matches_a_text_of_allauth():
    # tests/core/test_translations.py checks the other languages' rewordings.
    ours = settings.BASE_DIR / "shop_accounts" / "locale_allauth" / "en" / "LC_MESSAGES"
    theirs = Path(allauth.__file__).parent / "locale" / "en" / "LC_MESSAGES"
    reworded = {entry.msgid for entry in polib.pofile(str(ours / "django.po"))}
    assert reworded
    assert reworded - {entry.msgid for entry in polib.pofile(str(theirs / "django.po"))} == set()
