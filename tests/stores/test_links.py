"""Links to a store are built from the store's host name and the
installation's link scheme and port, without a request: an email queued by
the worker, a command or a renewal links to the store it is about."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client

from shop_accounts.customers import actions
from shop_accounts.identity.actions import send_password_reset
from shop_accounts.stores.links import UnknownLink, store_link, store_url
from tests.conftest import PASSWORD

RESET_LINK = re.compile(r"(\S+)(/account/password/reset/key/\S+/)")
NEW_PASSWORD = "a fresh passphrase for the other shop"


@pytest.mark.django_db(transaction=True)
def test_a_link_emailed_without_a_request_uses_the_host_of_a_non_default_store(
    store, other_store, make_account_holder, smtp_sink
):
    # Given a customer of the second store (not the default one), and no
    # request anywhere: a command or the worker does the work.
    bert = make_account_holder(other_store, "bert@example.com")

    send_password_reset(bert, actor=None)
    call_command("run_worker", once=True)

    (message,) = smtp_sink.to("bert@example.com")
    origin, path = RESET_LINK.search(smtp_sink.text_of(message)).groups()
    assert origin == "http://other.testserver"
    # The link works on that store's host.
    browser = Client(HTTP_HOST="other.testserver")
    form = browser.get(path, follow=True)
    assert form.status_code == 200
    done = browser.post(
        form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    bert.refresh_from_db()
    assert bert.check_password(NEW_PASSWORD)
    assert not bert.check_password(PASSWORD)


def test_links_use_https_when_the_shop_is_secure(other_store, settings, monkeypatch):
    monkeypatch.delenv("SHOP_LINK_SCHEME", raising=False)
    monkeypatch.delenv("SHOP_LINK_PORT", raising=False)
    settings.SECURE_SSL = True

    assert store_url(other_store, "/account/login/") == "https://other.testserver/account/login/"


def test_the_scheme_and_port_settings_are_read_when_the_link_is_built(other_store, monkeypatch):
    monkeypatch.setenv("SHOP_LINK_SCHEME", "https")
    monkeypatch.setenv("SHOP_LINK_PORT", "8443")
    assert store_url(other_store, "/x/") == "https://other.testserver:8443/x/"

    # The scheme's own port is left out of the link.
    monkeypatch.setenv("SHOP_LINK_PORT", "443")
    assert store_url(other_store, "/x/") == "https://other.testserver/x/"

    monkeypatch.setenv("SHOP_LINK_SCHEME", "http")
    monkeypatch.setenv("SHOP_LINK_PORT", "8000")
    assert store_url(other_store) == "http://other.testserver:8000/"


def test_the_demo_links_to_port_8000(store, settings, monkeypatch):
    monkeypatch.delenv("SHOP_LINK_PORT", raising=False)
    settings.DEMO_MODE = True

    assert store_url(store, "/") == "http://testserver:8000/"


def test_a_link_scheme_other_than_http_or_https_is_refused(store, monkeypatch):
    monkeypatch.setenv("SHOP_LINK_SCHEME", "ftp")

    with pytest.raises(ImproperlyConfigured):
        store_url(store, "/")


def test_a_named_link_is_the_page_its_owner_registered(other_store, db):
    customer = actions.create_customer(store=other_store, email="c@example.com", actor=None)

    assert store_link(other_store, "customer_record", customer.pk) == (
        f"http://other.testserver/backoffice/customers/customer/{customer.pk}/change/"
    )
    assert store_link(other_store, "sign_in") == "http://other.testserver/account/login/"
    with pytest.raises(UnknownLink):
        store_link(other_store, "no_such_page")
