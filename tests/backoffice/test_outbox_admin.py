"""The email outbox in the back office: the demo's visitor reads every email
there and clicks the links it holds; a failed email can be sent again; only
staff see it, and nobody edits an email after the fact."""

import html
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import deliver_due_emails, queue_email

CHANGELIST = reverse("backoffice:core_outboundemail_changelist")
RESET_HREF = re.compile(r'<a href="(http://testserver/account/password/reset/key/[^"]+/)"')


def detail_url(email: OutboundEmail) -> str:
    return reverse("backoffice:core_outboundemail_change", args=[email.pk])


def an_email(store, **fields) -> OutboundEmail:
    values = {
        "recipient": "anna@example.com",
        "subject": "Your order",
        "body_text": "Hello Anna,\nsee https://shop.example/orders/1/ for details.\n",
        "language": "en",
        "store_id": store.pk,
        "kind": "order",
        **fields,
    }
    return queue_email(**values)


def test_in_the_demo_the_emailed_link_can_be_clicked_in_the_outbox(
    settings, store, merchant, make_account_holder
):
    settings.DEMO_MODE = True
    make_account_holder(store, "anna@example.com", language="de")
    Client().post(reverse("account_reset_password"), {"email": "anna@example.com"})
    email = OutboundEmail.objects.get(recipient="anna@example.com")
    staff = Client()
    staff.force_login(merchant)

    page = staff.get(detail_url(email)).content.decode()

    assert html.escape(email.subject) in page
    assert "anna@example.com" in page
    link = html.unescape(RESET_HREF.search(page).group(1))
    visitor = Client().get(link, follow=True).content.decode()
    assert 'name="password1"' in visitor


def test_the_outbox_detail_shows_the_body_escaped_with_only_links_made_clickable(
    merchant_client, store
):
    email = an_email(store, body_text="<script>alert(1)</script> https://shop.example/x/")

    page = merchant_client.get(detail_url(email)).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<a href="https://shop.example/x/"' in page


def test_the_outbox_list_shows_recipient_subject_language_and_status(merchant_client, store):
    an_email(store, recipient="anna@example.com", subject="Welcome", language="nb")
    an_email(store, recipient="ben@example.com", subject="Your reset link")

    response = merchant_client.get(CHANGELIST)

    assert response.status_code == 200
    rows = {e.recipient: e for e in response.context["cl"].result_list}
    assert set(rows) == {"anna@example.com", "ben@example.com"}
    assert (rows["anna@example.com"].subject, rows["anna@example.com"].language) == (
        "Welcome",
        "nb",
    )
    page = response.content.decode()
    assert "Your reset link" in page
    assert "queued" in page


def test_the_outbox_list_costs_the_same_queries_for_3_or_30_emails(merchant_client, store):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert merchant_client.get(CHANGELIST).status_code == 200
        return len(captured)

    for number in range(3):
        an_email(store, subject=f"Email {number}")
    merchant_client.get(CHANGELIST)
    with_three = count()
    for number in range(3, 30):
        an_email(store, subject=f"Email {number}")

    assert count() == with_three


def test_an_email_that_failed_is_sent_again_from_the_outbox(
    merchant_client, store, settings, smtp_sink
):
    email = an_email(store)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.GAVE_UP, attempts=5, last_error="Connection refused"
    )

    response = merchant_client.post(
        CHANGELIST, {"action": "send_again", "_selected_action": [email.pk]}, follow=True
    )
    deliver_due_emails()

    assert "1 email is queued again." in response.content.decode()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    (message,) = smtp_sink.to("anna@example.com")
    assert message["Subject"] == "Your order"


def test_sending_again_never_sends_an_email_that_was_already_sent_twice(
    merchant_client, store, smtp_sink
):
    email = an_email(store)
    deliver_due_emails()
    assert len(smtp_sink.to("anna@example.com")) == 1

    response = merchant_client.post(
        CHANGELIST, {"action": "send_again", "_selected_action": [email.pk]}, follow=True
    )
    deliver_due_emails()

    assert "1 email was sent already and is not sent twice." in response.content.decode()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert len(smtp_sink.to("anna@example.com")) == 1


def test_an_email_cannot_be_edited_or_added_in_the_outbox(merchant_client, store):
    email = an_email(store)

    response = merchant_client.post(
        detail_url(email), {"subject": "Changed", "recipient": "evil@example.com"}
    )

    assert response.status_code == 403
    email.refresh_from_db()
    assert (email.subject, email.recipient) == ("Your order", "anna@example.com")
    assert merchant_client.get(reverse("backoffice:core_outboundemail_add")).status_code == 403


def test_the_outbox_is_not_shown_to_visitors_or_customers(client, store, make_account_holder):
    email = an_email(store, body_text="https://shop.example/secret-link/")

    anonymous = client.get(detail_url(email))
    client.force_login(make_account_holder(store, "shopper@example.com"))
    customer = client.get(detail_url(email), follow=True)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("backoffice:login"))
    assert "secret-link" not in customer.content.decode()
    assert customer.redirect_chain[-1][0] == reverse("storefront:my-account")


def test_the_outbox_names_kinds_and_statuses_in_words(merchant_client, store):
    an_email(store, kind="registration_declined")
    an_email(store, kind="email_confirmation_signup", recipient="ben@example.com")

    page = merchant_client.get(CHANGELIST).content.decode()

    assert "Registration declined" in page
    assert "Email confirmation after sign-up" in page
    assert "registration_declined</td>" not in page
    # The kind filter offers the kinds the outbox holds, by name.
    assert "?kind=registration_declined" in page
    assert ">queued<" in page
    filtered = merchant_client.get(CHANGELIST, {"kind": "registration_declined"})
    assert [e.recipient for e in filtered.context["cl"].result_list] == ["anna@example.com"]


def test_the_outbox_detail_keeps_the_paragraphs_of_the_email(merchant_client, store):
    email = an_email(
        store, body_text="Hello Anna,\n\nyour order is on its way.\nThank you!\n\nTest Shop\n"
    )

    page = merchant_client.get(detail_url(email)).content.decode()

    assert "<p>Hello Anna,</p>" in page
    assert "<p>your order is on its way.<br>Thank you!</p>" in page
    assert "<p>Test Shop</p>" in page


def test_the_outbox_list_counts_emails_in_words(merchant_client, store):
    for number in range(3):
        an_email(store, recipient=f"person{number}@example.com")

    three = merchant_client.get(CHANGELIST).content.decode()
    one = merchant_client.get(CHANGELIST, {"q": "person0"}).content.decode()

    assert "3 emails" in three
    assert "email outbox" not in three.split('class="result-count"')[1].split("</span>")[0]
    assert '<span class="result-count">1 email</span>' in one


def test_a_kind_filter_value_no_email_has_shows_an_empty_list(merchant_client, store):
    an_email(store, kind="invitation")

    for value in ("no_such_kind", "invitation\x00"):
        response = merchant_client.get(CHANGELIST, {"kind": value})
        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == []
