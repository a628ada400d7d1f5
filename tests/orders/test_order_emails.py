"""The emails about an order, caught by a real SMTP server on loopback: one
at placement, payment, each shipment, cancellation and each refund, in the
customer's language, each once even when queued again."""

from decimal import Decimal

import pytest

from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions as customer_actions
from shop_accounts.orders import emails
from shop_accounts.orders.actions import cancel, mark_paid, refund, ship
from shop_accounts.orders.models import Order
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(smtp_sink):
    def mailbox(address: str = "anna@example.com") -> list[tuple[str, str]]:
        deliver_due_emails()
        return [(m["Subject"], smtp_sink.text_of(m)) for m in smtp_sink.to(address)]

    return mailbox


def test_the_confirmation_lists_the_lines_the_total_how_to_pay_and_the_status_link(
    store, place, towel, mailbox
):
    Store.objects.filter(pk=store.pk).update(bank_iban="NL91ABNA0417164300")
    store.refresh_from_db()

    order = place((towel, 2))

    ((subject, text),) = mailbox()
    assert subject == f"Your order {order.number} at Test Shop"
    assert "2 × Linen towel" in text
    assert f"Total: {order.total_gross} EUR" in text
    assert "NL91ABNA0417164300" in text
    assert f"/orders/status/{order.public_token}/" in text


def test_a_guest_of_a_store_with_optional_accounts_is_offered_an_account(
    store, place, towel, mailbox
):
    store_actions.update_store(store, checkout_accounts=Store.CheckoutAccounts.OPTIONAL)

    place((towel, 1), placed_as_guest=True)

    ((_, text),) = mailbox()
    assert "Create an account for anna@example.com" in text
    assert "/account/signup/?email=anna%40example.com" in text


def test_a_signed_in_customers_order_offers_no_account(store, place, towel, mailbox):
    store_actions.update_store(store, checkout_accounts=Store.CheckoutAccounts.OPTIONAL)

    place((towel, 1))

    ((_, text),) = mailbox()
    assert "Create an account" not in text


def test_payment_shipping_with_tracking_and_a_refund_each_send_one_email(
    place, towel, bread, mailbox
):
    order = place((towel, 1), (bread, 2))
    mark_paid(order)
    towel_line, bread_line = order.lines.order_by("pk")
    ship(
        order,
        quantities={towel_line.pk: 1},
        carrier="PostNL",
        tracking_number="3SABCD1234567",
        tracking_url="https://postnl.example/track/3SABCD1234567",
    )
    refund(order, lines=[bread_line])

    received = mailbox()

    assert [subject for subject, _ in received] == [
        f"Your order {order.number} at Test Shop",
        f"Payment received for order {order.number}",
        f"Your order {order.number} is on its way",
        f"A refund for your order {order.number}",
    ]
    shipped, refunded = received[2][1], received[3][1]
    assert "1 × Linen towel" in shipped and "Rye bread" not in shipped
    assert "3SABCD1234567" in shipped
    assert "https://postnl.example/track/3SABCD1234567" in shipped
    order.refresh_from_db()
    assert f"Refunded: {order.total_refunded} EUR" in refunded
    assert "2 × Rye bread" in refunded


def test_a_cancellation_is_emailed_with_its_reason(place, towel, mailbox):
    order = place((towel, 1))

    cancel(order, reason="Out of stock at the supplier")

    subject, text = mailbox()[-1]
    assert subject == f"Your order {order.number} is cancelled"
    assert "Out of stock at the supplier" in text


def test_emails_go_out_in_the_customers_language(store, place, towel, mailbox):
    lena = customer_actions.create_customer(
        store=store, email="lena@example.com", actor=None, source="checkout", language="de"
    )
    order = place((towel, 3), customer=lena)
    mark_paid(order)
    ship(order, carrier="DHL", tracking_number="JJD0001")

    subjects = [subject for subject, _ in mailbox("lena@example.com")]

    assert subjects == [
        f"Ihre Bestellung {order.number} bei Test Shop",
        f"Zahlung für Bestellung {order.number} erhalten",
        f"Ihre Bestellung {order.number} ist unterwegs",
    ]
    text = mailbox("lena@example.com")[0][1]
    assert "Gesamtbetrag: " in text and f"{order.total_gross}".replace(".", ",") in text


def test_an_email_queued_again_for_the_same_event_is_sent_once(place, towel, mailbox):
    order = place((towel, 1))
    paid = mark_paid(order)

    emails.email_order_paid(paid)  # a retry of the same event
    emails.email_order_placed(order)

    assert OutboundEmail.objects.filter(kind="order_paid").count() == 1
    assert OutboundEmail.objects.filter(kind="order_placed").count() == 1
    assert len(mailbox()) == 2


def test_a_merchants_own_wording_with_the_order_number(store, place, towel, mailbox):
    store_actions.set_email_text(
        store=store,
        kind="order_shipped",
        language="en",
        subject="Parcel {order_number} left {store_name}",
        message="Dear {first_name}, order {order_number} is with the courier.",
    )
    order = place((towel, 1))
    mark_paid(order)

    ship(order, tracking_number="ABC123")

    subject, text = mailbox()[-1]
    assert subject == f"Parcel {order.number} left Test Shop"
    assert f"Dear Anna, order {order.number} is with the courier." in text
    assert "ABC123" in text  # the fixed part stays


def test_an_order_total_is_written_with_two_decimals():
    assert emails.amount(Decimal("30"), "EUR") == "30.00 EUR"


def test_every_payment_method_has_a_confirmation(store, place, towel, mailbox):
    for method in Order.PaymentMethod:
        if method == Order.PaymentMethod.INVOICE:
            continue  # offered to allowed customers only
        place((towel, 1), payment_method=method)

    assert len(mailbox()) == 2
