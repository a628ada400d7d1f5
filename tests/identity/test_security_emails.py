"""Security emails: every change to a customer's ways in is emailed to them
in their language (through the outbox, delivered over real SMTP) and recorded
on their trail."""

import re

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import CustomerEvent
from tests.conftest import PASSWORD
from tests.totp import current_totp

Kind = CustomerEvent.Kind
FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
)
GERMAN_MONTHS = [
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
]  # fmt: skip
NEW_PASSWORD = "a brand new passphrase"
RESET_LINK = re.compile(r"http://testserver(/account/password/reset/key/[^\s]+/)")


def signed_in(email: str) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def reauthenticated(client: Client) -> Client:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    return client


def delivered(smtp_sink, email: str) -> list:
    deliver_due_emails()
    return smtp_sink.to(email)


def events_of(customer, kind: str) -> list[CustomerEvent]:
    return list(CustomerEvent.objects.filter(customer=customer, kind=kind))


# --- password -----------------------------------------------------------------------


def test_password_change_is_emailed_and_recorded(store, make_account_holder, smtp_sink):
    anna = make_account_holder(store, "anna@example.com")
    client = signed_in("anna@example.com")
    recorded_before = len(events_of(anna, Kind.PASSWORD_CHANGED))

    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    (message,) = delivered(smtp_sink, "anna@example.com")
    assert message["Subject"] == "Your password was changed"
    text = smtp_sink.text_of(message)
    assert "Your password has been changed." in text
    assert len(events_of(anna, Kind.PASSWORD_CHANGED)) == recorded_before + 1


def test_a_security_email_names_the_device_and_the_moment_in_german(
    store, make_account_holder, smtp_sink
):
    make_account_holder(store, "anna@example.com", language="de")
    client = signed_in("anna@example.com")
    before = timezone.localtime()

    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        HTTP_USER_AGENT=FIREFOX_ON_WINDOWS,
    )

    (message,) = delivered(smtp_sink, "anna@example.com")
    text = smtp_sink.text_of(message).replace("\r\n", "\n")
    assert "Gerät: Firefox 128 auf Windows 10\n" in text
    assert FIREFOX_ON_WINDOWS not in text
    moment = re.search(r"Wann: (.+)\n", text).group(1)
    after = timezone.localtime()
    assert moment in {
        f"{at.day}. {GERMAN_MONTHS[at.month - 1]} {at.year}, {at:%H:%M} {at.tzname()}"
        for at in (before, after)
    }
    assert ".." not in text and '"' not in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Gerät: Firefox 128 auf Windows 10" in html


def test_password_change_email_is_in_the_customers_language(store, make_account_holder, smtp_sink):
    make_account_holder(store, "anna@example.com", language="de")
    client = signed_in("anna@example.com")

    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    (message,) = delivered(smtp_sink, "anna@example.com")
    assert message["Subject"] == "Ihr Passwort wurde geändert"
    assert "Ihr Passwort wurde geändert." in smtp_sink.text_of(message)
    outbound = OutboundEmail.objects.get(kind="password_changed")
    assert outbound.language == "de"
    assert outbound.status == OutboundEmail.Status.SENT


def test_password_reset_done_is_emailed(store, make_account_holder, smtp_sink):
    anna = make_account_holder(store, "anna@example.com", language="de")
    recorded_before = len(events_of(anna, Kind.PASSWORD_CHANGED))
    Client().post(reverse("account_reset_password"), {"email": "anna@example.com"})
    (reset_email,) = delivered(smtp_sink, "anna@example.com")
    link = RESET_LINK.search(smtp_sink.text_of(reset_email)).group(1)
    client = Client()
    form_url = client.get(link, follow=True).wsgi_request.path

    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    _reset_email, done = delivered(smtp_sink, "anna@example.com")
    assert done["Subject"] == "Ihr Passwort wurde zurückgesetzt"
    assert OutboundEmail.objects.get(kind="password_reset").language == "de"
    assert len(events_of(anna, Kind.PASSWORD_CHANGED)) == recorded_before + 1


# --- email addresses -----------------------------------------------------------------


def test_added_email_address_is_told_to_the_accounts_address(store, make_account_holder, smtp_sink):
    make_account_holder(store, "anna@example.com")
    client = reauthenticated(signed_in("anna@example.com"))

    client.post(reverse("account_email"), {"action_add": "", "email": "anna.new@example.com"})

    (message,) = delivered(smtp_sink, "anna@example.com")
    assert message["Subject"] == "An email address was added to your account"
    assert "The email address anna.new@example.com was added" in smtp_sink.text_of(message)


def test_added_email_address_email_is_in_the_customers_language(
    store, make_account_holder, smtp_sink
):
    make_account_holder(store, "anna@example.com", language="de")
    client = reauthenticated(signed_in("anna@example.com"))

    client.post(reverse("account_email"), {"action_add": "", "email": "anna.new@example.com"})

    (message,) = delivered(smtp_sink, "anna@example.com")
    assert message["Subject"] == "Ihrem Konto wurde eine E-Mail-Adresse hinzugefügt"
    assert OutboundEmail.objects.get(kind="email_added").language == "de"


def test_changed_email_is_told_to_the_old_address_in_the_customers_language(
    store, make_account_holder, smtp_sink
):
    anna = make_account_holder(store, "anna@example.com", language="de")
    EmailAddress.objects.create(user=anna, email="anna.new@example.com", verified=True)
    client = reauthenticated(signed_in("anna@example.com"))

    client.post(reverse("account_email"), {"action_primary": "", "email": "anna.new@example.com"})

    (message,) = delivered(smtp_sink, "anna@example.com")
    assert message["Subject"] == "Ihre E-Mail-Adresse wurde geändert"
    assert (
        "Ihre E-Mail wurde von anna@example.com auf anna.new@example.com geändert."
        in smtp_sink.text_of(message)
    )
    assert OutboundEmail.objects.get(kind="email_changed").language == "de"


def test_changed_email_is_recorded_on_the_trail(store, make_account_holder, smtp_sink):
    anna = make_account_holder(store, "anna@example.com")
    EmailAddress.objects.create(user=anna, email="anna.new@example.com", verified=True)
    client = reauthenticated(signed_in("anna@example.com"))

    client.post(reverse("account_email"), {"action_primary": "", "email": "anna.new@example.com"})

    anna.refresh_from_db()
    assert anna.email == "anna.new@example.com"
    (event,) = events_of(anna, CustomerEvent.Kind.UPDATED)
    assert event.actor == anna
    assert event.data == {"fields": ["email"], "previous_email": "anna@example.com"}


# --- two-factor ---------------------------------------------------------------------


def test_authenticator_app_added_is_emailed_and_recorded(
    store, make_account_holder, smtp_sink, django_capture_on_commit_callbacks
):
    anna = make_account_holder(store, "anna@example.com")
    client = reauthenticated(signed_in("anna@example.com"))
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    # allauth tells (and we record) once the new authenticator is committed.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": current_totp(secret)})

    assert Authenticator.objects.filter(user=anna, type=Authenticator.Type.TOTP).exists()
    subjects = [m["Subject"] for m in delivered(smtp_sink, "anna@example.com")]
    assert subjects == ["An authenticator app was added to your account"]
    (event,) = events_of(anna, Kind.TWO_FACTOR_ADDED)
    assert event.data == {"method": "totp"}


def test_authenticator_app_removed_is_emailed_and_recorded(store, make_account_holder, smtp_sink):
    anna = make_account_holder(store, "anna@example.com", language="de")
    secret = generate_totp_secret()
    TOTP.activate(anna, secret)
    client = signed_in("anna@example.com")
    client.post(reverse("mfa_authenticate"), {"code": current_totp(secret)})
    reauthenticated(client)

    client.post(reverse("mfa_deactivate_totp"))

    assert not Authenticator.objects.filter(user=anna, type=Authenticator.Type.TOTP).exists()
    (message,) = delivered(smtp_sink, "anna@example.com")
    assert message["Subject"] == "Aus Ihrem Konto wurde eine Authenticator-App entfernt"
    (event,) = events_of(anna, Kind.TWO_FACTOR_REMOVED)
    assert event.data == {"method": "totp"}


def test_recovery_code_used_is_emailed_and_recorded(store, make_account_holder, smtp_sink):
    anna = make_account_holder(store, "anna@example.com")
    TOTP.activate(anna, generate_totp_secret())
    codes = RecoveryCodes.activate(anna).generate_codes()
    client = signed_in("anna@example.com")

    client.post(reverse("mfa_authenticate"), {"code": codes[0]})

    (message,) = delivered(smtp_sink, "anna@example.com")
    assert message["Subject"] == "A recovery code was used to sign in to your account"
    assert f"You have {len(codes) - 1} unused recovery codes left." in smtp_sink.text_of(message)
    (event,) = events_of(anna, Kind.RECOVERY_CODE_USED)
    assert event.data == {"method": "recovery_codes"}


def test_recovery_code_used_email_is_in_the_customers_language(
    store, make_account_holder, smtp_sink
):
    ben = make_account_holder(store, "ben@example.com", language="de")
    TOTP.activate(ben, generate_totp_secret())
    codes = RecoveryCodes.activate(ben).generate_codes()
    client = signed_in("ben@example.com")

    client.post(reverse("mfa_authenticate"), {"code": codes[0]})

    (message,) = delivered(smtp_sink, "ben@example.com")
    assert message["Subject"] == (
        "Für die Anmeldung bei Ihrem Konto wurde ein Wiederherstellungscode verwendet"
    )
    email = OutboundEmail.objects.get(kind="recovery_code_used")
    assert email.language == "de"
    assert email.status == OutboundEmail.Status.SENT
