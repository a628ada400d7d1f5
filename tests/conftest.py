"""Shared fixtures: stores and customers made through the real actions, and a
real SMTP server on loopback (aiosmtpd) that keeps every message it receives."""

import email
import email.policy
import importlib
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.core.cache import cache
from django.test import Client

from shop_accounts.catalog.models import TaxRate
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer
from shop_accounts.identity.actions import record_verified_email
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store

PASSWORD = "correct horse battery staple"
# The merchant fixture's authenticator app (base32, as an app would scan it).
MERCHANT_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def store(db) -> Store:
    """The default store, answering on localhost and testserver."""
    created = store_actions.create_store(name="Test Shop", hostname="testserver", is_default=True)
    return created


@pytest.fixture
def other_store(db) -> Store:
    """A second store with accounts of its own (it does not share)."""
    return store_actions.create_store(name="Other Shop", hostname="other.testserver")


@pytest.fixture
def make_account_holder(db):
    """Make a customer with an active, verified account in `store`."""

    def make(store: Store, email: str, password: str = PASSWORD, **fields) -> Customer:
        customer = actions.open_account(
            store=store,
            email=email,
            password=password,
            language=fields.pop("language", "en"),
            first_name=fields.pop("first_name", ""),
            last_name=fields.pop("last_name", ""),
        )
        if fields:
            customer = actions.update_customer(customer, actor=None, **fields)
        record_verified_email(customer)
        return customer

    return make


@pytest.fixture
def merchant(store, db) -> Customer:
    """A staff user of the default store, with an authenticator app (the back
    office requires one) whose secret is MERCHANT_TOTP_SECRET."""
    staff = Customer.objects.create_superuser("merchant@example.com", PASSWORD, store=store)
    record_verified_email(staff)
    TOTP.activate(staff, MERCHANT_TOTP_SECRET)
    return staff


@pytest.fixture
def merchant_client(merchant) -> Client:
    """A browser-less client signed in as the merchant."""
    client = Client()
    client.force_login(merchant)
    return client


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Every test starts with an empty cache: rate limits, used one-time
    codes and cached stores of one test never reach the next."""
    cache.clear()
    yield
    cache.clear()


_TAX_RATES_MIGRATION = importlib.import_module(
    "shop_accounts.catalog.migrations.0003_seed_tax_rates_and_classify_products"
)
_DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def seeded_tax_rates(request) -> None:
    """Every test with a database finds the VAT rates the data migration
    seeds: a transactional test (threads, the live server) empties every
    table when it ends, and the next test would find none."""
    uses_database = request.node.get_closest_marker("django_db") is not None or bool(
        _DATABASE_FIXTURES & set(request.fixturenames)
    )
    if not uses_database:
        return
    request.getfixturevalue("_django_db_helper")
    if not TaxRate.objects.exists():
        _TAX_RATES_MIGRATION.seed_rates(apps)


@dataclass
class SmtpSink:
    """What the loopback SMTP server received, parsed."""

    host: str
    port: int
    messages: list[email.message.EmailMessage] = field(default_factory=list)

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if address in m["To"]]

    @staticmethod
    def text_of(message: email.message.EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.sink.messages.append(parsed)
        return "250 OK"


@pytest.fixture
def smtp_sink(settings) -> Iterator[SmtpSink]:
    """A real SMTP server on 127.0.0.1; the default mailer sends to it."""
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = SmtpSink(host="127.0.0.1", port=port)
    controller = Controller(_Handler(sink), hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": sink.host, "port": sink.port, "timeout": 5},
        }
    }
    try:
        yield sink
    finally:
        controller.stop()
