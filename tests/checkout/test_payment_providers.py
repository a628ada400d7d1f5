"""Payment providers: the instructions of bank transfer, cash on delivery
and pay by invoice, who is offered which, and the webhook path, proved with
a provider registered only here (it stands for a card provider's server)."""

import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping
from decimal import Decimal

import pytest
from django.test import Client

from shop_accounts.catalog import groups
from shop_accounts.customers import actions as customer_actions
from shop_accounts.orders import payments
from shop_accounts.orders.actions import place_order
from shop_accounts.orders.errors import InvalidWebhookSignature
from shop_accounts.orders.models import Order, OrderEvent
from shop_accounts.stores.models import Store
from tests.checkout.conftest import ADDRESS, new_key

pytestmark = pytest.mark.django_db
SECRET = b"test-provider-secret"


class SignedTestProvider(payments.PaymentProvider):
    """A provider whose server signs the JSON body with HMAC-SHA256."""

    code = "testpay"
    label = "Test pay"

    def confirm_webhook(
        self, store: Store, body: bytes, headers: Mapping[str, str]
    ) -> payments.WebhookConfirmation:
        expected = hmac.new(SECRET, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, headers.get("X-Signature", "")):
            raise InvalidWebhookSignature()
        data = json.loads(body)
        return payments.WebhookConfirmation(reference=data["reference"], paid=data["paid"])


@pytest.fixture
def testpay() -> Iterator[SignedTestProvider]:
    provider = SignedTestProvider()
    payments.register_provider(provider)
    yield provider
    payments.unregister_provider(provider.code)


def placed(shop, customer, towel, method=Order.PaymentMethod.BANK_TRANSFER) -> Order:
    order = place_order(
        shop,
        customer,
        lines=[(towel, 2)],
        billing=ADDRESS,
        payment_method=method,
        idempotency_key=new_key(),
    )
    payments.start_payment(order)
    return Order.objects.get(pk=order.pk)


def signed_post(client: Client, body: dict, *, secret: bytes = SECRET, provider="testpay"):
    raw = json.dumps(body).encode()
    signature = hmac.new(secret, raw, hashlib.sha256).hexdigest()
    return client.post(
        f"/payments/{provider}/webhook/",
        raw,
        content_type="application/json",
        headers={"X-Signature": signature},
    )


def test_bank_transfer_asks_for_the_total_with_the_order_number_and_the_stores_account(
    shop, guest, towel
):
    order = placed(shop, guest, towel)

    assert order.payment_reference == str(order.number)
    assert payments.provider_for(order.payment_method).instructions(order) == [
        f"Please transfer 30.01 EUR with the reference {order.number}. "
        "We send your order once the payment has arrived.",
        "Account holder: Test Shop B.V.",
        "IBAN: NL91ABNA0417164300",
        "BIC: ABNANL2A",
    ]


def test_cash_on_delivery_asks_to_have_the_total_ready(shop, guest, towel):
    order = placed(shop, guest, towel, Order.PaymentMethod.CASH_ON_DELIVERY)

    assert order.payment_reference == ""
    assert payments.provider_for(order.payment_method).instructions(order) == [
        "Please have 30.01 EUR ready when the parcel is delivered."
    ]


def test_pay_by_invoice_is_offered_only_to_customers_the_merchant_allows(shop, guest):
    allowed = customer_actions.create_customer(store=shop, email="b2b@example.com", actor=None)
    type(allowed).objects.filter(pk=allowed.pk).update(may_pay_by_invoice=True)
    allowed.refresh_from_db()

    def offered(customer):
        return [p.code for p in payments.offered_providers(shop, customer)]

    assert offered(None) == ["bank_transfer", "cash_on_delivery"]
    assert offered(guest) == ["bank_transfer", "cash_on_delivery"]
    assert offered(allowed) == ["bank_transfer", "cash_on_delivery", "invoice"]


def test_pay_by_invoice_is_offered_to_the_members_of_a_group_that_allows_it(shop):
    member = customer_actions.create_customer(store=shop, email="trade@example.com", actor=None)
    other = customer_actions.create_customer(store=shop, email="retail@example.com", actor=None)
    trade = groups.create_customer_group(shop, name="Trade", may_pay_by_invoice=True)
    retail = groups.create_customer_group(shop, name="Retail")
    groups.set_customer_group(member, store=shop, group=trade, actor=None)
    groups.set_customer_group(other, store=shop, group=retail, actor=None)

    assert "invoice" in [p.code for p in payments.offered_providers(shop, member)]
    assert "invoice" not in [p.code for p in payments.offered_providers(shop, other)]


def test_a_provider_registered_without_an_order_method_is_not_offered(shop, testpay):
    assert "testpay" not in [p.code for p in payments.offered_providers(shop, None)]


def test_a_signed_webhook_marks_the_order_paid_once(shop, guest, towel, testpay):
    order = placed(shop, guest, towel)
    client = Client()

    first = signed_post(client, {"reference": order.payment_reference, "paid": True})
    again = signed_post(client, {"reference": order.payment_reference, "paid": True})

    assert (first.status_code, again.status_code) == (200, 200)
    order.refresh_from_db()
    assert order.payment_status == Order.PaymentStatus.PAID
    assert OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.PAID).count() == 1


def test_a_webhook_with_a_bad_signature_is_refused_and_changes_nothing(shop, guest, towel, testpay):
    order = placed(shop, guest, towel)

    response = signed_post(
        Client(), {"reference": order.payment_reference, "paid": True}, secret=b"forged"
    )

    assert response.status_code == 400
    order.refresh_from_db()
    assert order.payment_status == Order.PaymentStatus.PENDING


def test_webhooks_of_unknown_providers_and_of_providers_without_webhooks_are_refused(
    shop, guest, towel
):
    order = placed(shop, guest, towel)
    body = {"reference": order.payment_reference, "paid": True}

    assert signed_post(Client(), body, provider="nobody").status_code == 404
    assert signed_post(Client(), body, provider="bank_transfer").status_code == 404
    assert Client().get("/payments/bank_transfer/webhook/").status_code == 405
    order.refresh_from_db()
    assert order.payment_status == Order.PaymentStatus.PENDING


def test_a_webhook_about_a_payment_no_order_of_the_store_has_is_refused(shop, testpay):
    response = signed_post(Client(), {"reference": "999999", "paid": True})

    assert response.status_code == 422


def test_the_webhook_needs_no_csrf_token_and_no_sign_in_in_a_members_only_shop(
    shop, guest, towel, testpay
):
    Store.objects.filter(pk=shop.pk).update(shop_visibility=Store.ShopVisibility.SIGNED_IN)
    order = placed(shop, guest, towel)
    client = Client(enforce_csrf_checks=True)

    response = signed_post(client, {"reference": order.payment_reference, "paid": True})

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.payment_status == Order.PaymentStatus.PAID
    assert order.total_gross == Decimal("30.01")
