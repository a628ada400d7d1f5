"""Fixtures of the production tests: one private PostgreSQL for the session,
migrated and set up as the README's production steps do.

These tests start their own PostgreSQL and servers, whatever database the
suite itself runs on, so running them twice says nothing new: they run in the
SQLite run (`make test-sqlite`, plain `pytest`) and are skipped in
`make test-postgres`."""

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from tests.conftest import PASSWORD, SmtpSink
from tests.production.servers import PrivatePostgres, manage, postgres_bin, production_env


def pytest_collection_modifyitems(config, items) -> None:
    here = [item for item in items if "/tests/production/" in str(item.path)]
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        reason = "the production tests run once, in the SQLite run (make test-sqlite)"
    elif postgres_bin() is None:
        reason = "needs PostgreSQL's server programs (scripts/system_deps.sh installs them)"
    else:
        return
    for item in here:
        item.add_marker(pytest.mark.skip(reason=reason))


# The store and two shoppers, made through the real actions as
# tests/conftest.py does (the demo data's store puts a CAPTCHA on every form).
SHOP_SETUP = f"""
from shop_accounts.customers.actions import open_account
from shop_accounts.identity.actions import record_verified_email
from shop_accounts.stores.actions import create_store
store = create_store(name="Production Shop", hostname="localhost", is_default=True)
for name in ("Anna", "Bernd"):
    record_verified_email(open_account(
        store=store, email=name.lower() + "@example.com", password={PASSWORD!r},
        language="en", first_name=name,
    ))
"""


@pytest.fixture(scope="session")
def postgres() -> Iterator[PrivatePostgres]:
    """A private PostgreSQL with the shop migrated and the demo data loaded.
    max_connections is low, as on a small server, so that an unbounded number
    of connections would show."""
    server = PrivatePostgres(max_connections=30)
    try:
        server.create()
        env = production_env(server.url)
        manage(env, "migrate", "-v0")
        manage(env, "createcachetable")
        manage(env, "shell", "-c", SHOP_SETUP)
        manage(env, "collectstatic", "--noinput", "-v0")
        yield server
    finally:
        server.destroy()


@pytest.fixture
def running_postgres(postgres) -> PrivatePostgres:
    """The private PostgreSQL, started again if a test left it stopped."""
    try:
        postgres.client_connections()
    except Exception:
        postgres.start()
    return postgres


class _RefusingHandler:
    """Answers 451 "try again later" while `sink.refusing`, as a mail server
    that is briefly down does; then keeps what it receives."""

    def __init__(self, sink: "MailServer") -> None:
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        if self.sink.refusing:
            self.sink.refused += 1
            return "451 Try again later"
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.sink.messages.append(parsed)
        return "250 OK"


@dataclass
class MailServer(SmtpSink):
    refusing: bool = False
    refused: int = 0


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    """A real SMTP server on loopback for the worker processes, which can
    refuse mail for a while."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = MailServer(host="127.0.0.1", port=port)
    controller = Controller(_RefusingHandler(sink), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
