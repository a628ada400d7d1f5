"""Email texts per store and language in the back office: every email the
product sends can be reworded; the page previews it with sample data, sends
a test to the merchant, refuses unknown placeholders, and the customer gets
the merchant's text in their language (else the shop's default)."""

from django.test import Client
from django.urls import reverse

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.identity.actions import send_password_reset
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import EmailText
from tests.conftest import PASSWORD

ADD = reverse("backoffice:stores_emailtext_add")
PREVIEW = reverse("backoffice:stores_emailtext_preview")
NEW_PASSWORD = "a brand new passphrase"


def change_url(text: EmailText) -> str:
    return reverse("backoffice:stores_emailtext_change", args=[text.pk])


def german_reset_text(store) -> EmailText:
    return store_actions.set_email_text(
        store=store,
        kind="password_reset_sent",
        language="de",
        subject="Neues Passwort für {first_name} bei {store_name}",
        message="Liebe Kundin, lieber Kunde: hier ist Ihr Link, {first_name}.",
    )


def test_the_merchants_text_is_sent_in_the_customers_language(
    store, make_account_holder, smtp_sink
):
    german_reset_text(store)
    greta = make_account_holder(store, "greta@example.com", language="de", first_name="Greta")
    john = make_account_holder(store, "john@example.com", language="en", first_name="John")

    send_password_reset(greta, actor=None)
    send_password_reset(john, actor=None)
    deliver_due_emails()

    (german,) = smtp_sink.to("greta@example.com")
    assert german["Subject"] == "Neues Passwort für Greta bei Test Shop"
    text = smtp_sink.text_of(german)
    assert "Liebe Kundin, lieber Kunde: hier ist Ihr Link, Greta." in text
    assert "has sent you a link" not in text
    html = german.get_body(preferencelist=("html",)).get_content()
    assert "Liebe Kundin, lieber Kunde: hier ist Ihr Link, Greta." in html
    (english,) = smtp_sink.to("john@example.com")
    assert english["Subject"] == "Set your password for Test Shop"
    assert "Test Shop has sent you a link to set a new password" in smtp_sink.text_of(english)


def test_the_edit_page_previews_the_email_with_sample_data(store, merchant_client):
    store_actions.update_store(store, email_colour="#aa3300")
    text = german_reset_text(store)

    response = merchant_client.get(change_url(text))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview with sample data" in page
    preview = response.context["email_preview"]["email"]
    assert preview.subject == "Neues Passwort für Anna bei Test Shop"
    assert "Liebe Kundin, lieber Kunde: hier ist Ihr Link, Anna." in preview.text
    assert "#aa3300" in preview.html
    assert 'sandbox=""' in page
    assert "Liebe Kundin, lieber Kunde: hier ist Ihr Link, Anna." in page


def test_a_new_text_starts_from_the_default_with_placeholders(store, merchant_client):
    response = merchant_client.get(
        ADD, {"kind": "password_changed", "language": "de", "store": store.pk}
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.initial["subject"] == "Ihr Passwort wurde geändert"
    assert form.initial["message"] == "Ihr Passwort wurde geändert."


def test_send_me_a_test_arrives_at_the_merchant(store, merchant, merchant_client, smtp_sink):
    text = german_reset_text(store)

    response = merchant_client.post(
        reverse("backoffice:stores_emailtext_send_test", args=[text.pk])
    )
    deliver_due_emails()

    assert response.status_code == 302
    assert response["Location"] == change_url(text)
    (message,) = smtp_sink.to(merchant.email)
    assert message["Subject"] == "Neues Passwort für Anna bei Test Shop"
    assert "Liebe Kundin, lieber Kunde: hier ist Ihr Link, Anna." in smtp_sink.text_of(message)


def test_send_me_a_test_is_for_merchants_only(store, make_account_holder, smtp_sink):
    text = german_reset_text(store)
    customer = make_account_holder(store, "anna@example.com")
    client = Client()
    client.force_login(customer)

    response = client.post(reverse("backoffice:stores_emailtext_send_test", args=[text.pk]))
    deliver_due_emails()

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:login"))
    assert smtp_sink.messages == []


def test_an_unknown_placeholder_is_refused_naming_it_and_the_allowed_ones(store, merchant_client):
    response = merchant_client.post(
        ADD,
        {
            "store": store.pk,
            "kind": "password_changed",
            "language": "en",
            "subject": "Password changed, {first_name}",
            "message": "Use {voucher} and {code} soon.",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["message"] == [
        "Unknown placeholders: {code}, {voucher}. This email offers: "
        "{store_name}, {first_name}, {last_name}, {email}."
    ]
    assert "subject" not in errors
    assert not EmailText.objects.exists()


def test_an_unknown_placeholder_is_refused_in_the_merchants_language(
    store, merchant_client, settings
):
    merchant_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    response = merchant_client.post(
        ADD,
        {
            "store": store.pk,
            "kind": "password_changed",
            "language": "en",
            "subject": "Hallo {vorname}",
            "message": "",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["subject"] == [
        "Unbekannte Platzhalter: {vorname}. Diese E-Mail bietet: "
        "{store_name}, {first_name}, {last_name}, {email}."
    ]


def test_allauths_email_is_sent_in_the_merchants_words(store, make_account_holder, smtp_sink):
    store_actions.set_email_text(
        store=store,
        kind="password_changed",
        language="de",
        subject="{store_name}: neues Passwort für {first_name}",
        message="Ihr Passwort bei {store_name} ist jetzt ein neues.",
    )
    make_account_holder(store, "greta@example.com", language="de", first_name="Greta")
    client = Client()
    client.post(reverse("account_login"), {"login": "greta@example.com", "password": PASSWORD})

    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    deliver_due_emails()

    (message,) = smtp_sink.to("greta@example.com")
    assert message["Subject"] == "Test Shop: neues Passwort für Greta"
    text = smtp_sink.text_of(message)
    assert "Ihr Passwort bei Test Shop ist jetzt ein neues." in text
    assert "IP-Adresse: 127.0.0.1" in text  # the security facts stay


def test_the_preview_frame_shows_the_html_part_only_inside_the_back_office(store, merchant_client):
    text = german_reset_text(store)

    response = merchant_client.get(PREVIEW, {"text": text.pk})

    assert response.status_code == 200
    assert "Liebe Kundin, lieber Kunde: hier ist Ihr Link, Anna." in response.content.decode()
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy
    assert "script-src" not in policy


def test_the_preview_frame_refuses_what_does_not_exist(store, merchant_client):
    assert merchant_client.get(PREVIEW, {"text": "x1"}).status_code == 404
    assert merchant_client.get(PREVIEW, {"text": 999}).status_code == 404
    assert merchant_client.get(PREVIEW, {"kind": "nope", "language": "en"}).status_code == 404
    assert (
        merchant_client.get(PREVIEW, {"kind": "signin_link", "language": "xx"}).status_code == 404
    )
    default = merchant_client.get(PREVIEW, {"kind": "signin_link", "language": "nl"})
    assert default.status_code == 200
    assert ">Inloggen</a>" in default.content.decode()
