"""Signing in with an emailed link: personal, single use (also under
concurrency), bound to the store's account realm, expiring, and a first factor
only."""

import re
import threading
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.identity.models import SignInLink
from shop_accounts.stores import actions as store_actions

LINK_REQUEST = "/account/login/link/"
LINK_URL = re.compile(r"http://[^\s/]+(/account/login/link/[A-Za-z0-9_\-]+/)")


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".testserver"]
    cache.clear()
    yield
    cache.clear()


def ask_for_link(client: Client, email: str, host: str = "testserver"):
    return client.post(LINK_REQUEST, {"email": email}, HTTP_HOST=host)


def emailed_link(smtp_sink, email: str) -> str:
    deliver_due_emails()
    messages = smtp_sink.to(email)
    assert len(messages) == 1
    match = LINK_URL.search(smtp_sink.text_of(messages[0]))
    assert match, smtp_sink.text_of(messages[0])
    return match.group(1)


def without_tokens(content: bytes) -> bytes:
    """A page with its per-response CSRF tokens and CSP nonces blanked."""
    return re.sub(rb'(value|nonce)="[^"]*"', rb'\1=""', content)


def signed_in_customer(client: Client, host: str = "testserver") -> Customer | None:
    response = client.get(reverse("storefront:my-account"), HTTP_HOST=host)
    user = response.wsgi_request.user
    return user if user.is_authenticated else None


def test_link_page_shows_a_button_and_only_its_post_signs_in(
    client, store, make_account_holder, smtp_sink
):
    anna = make_account_holder(store, "anna@example.com", first_name="Anna")

    response = ask_for_link(client, "anna@example.com")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/link/sent/"
    path = emailed_link(smtp_sink, "anna@example.com")
    message = smtp_sink.to("anna@example.com")[0]
    assert message["Subject"] == "Your sign-in link for Test Shop"
    assert "Hello Anna," in smtp_sink.text_of(message)

    page = client.get(path)  # what a mail scanner does
    assert page.status_code == 200
    assert b'<button type="submit">Sign in</button>' in page.content
    assert signed_in_customer(client) is None
    assert SignInLink.objects.get().used_at is None

    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("storefront:my-account")
    assert signed_in_customer(client) == anna
    assert SignInLink.objects.get().used_at is not None
    event = CustomerEvent.objects.get(customer=anna, kind=CustomerEvent.Kind.SIGNED_IN_WITH_LINK)
    assert event.data == {"store_id": store.pk}


def test_link_email_is_in_the_customers_language(client, store, make_account_holder, smtp_sink):
    make_account_holder(store, "jan@example.com", language="nl")

    ask_for_link(client, "jan@example.com")
    emailed_link(smtp_sink, "jan@example.com")

    assert OutboundEmail.objects.get(recipient="jan@example.com").language == "nl"


def test_used_link_is_refused_with_a_way_to_ask_again(
    client, store, make_account_holder, smtp_sink
):
    make_account_holder(store, "anna@example.com")
    ask_for_link(client, "anna@example.com")
    path = emailed_link(smtp_sink, "anna@example.com")
    client.post(path)
    client.post(reverse("account_logout"))

    again = Client()
    page = again.get(path)
    response = again.post(path)

    for answer in (page, response):
        assert answer.status_code == 410
        assert b"The link has expired or has already been used." in answer.content
        assert LINK_REQUEST.encode() in answer.content
    assert signed_in_customer(again) is None


def test_link_works_until_the_store_setting_runs_out(client, store, make_account_holder, smtp_sink):
    make_account_holder(store, "anna@example.com")
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        ask_for_link(client, "anna@example.com")
    path = emailed_link(smtp_sink, "anna@example.com")
    assert SignInLink.objects.get().expires_at == now + timedelta(days=14)

    with time_machine.travel(now + timedelta(days=14, seconds=1)):
        page = client.get(path)
        response = client.post(path)

    assert page.status_code == 410
    assert response.status_code == 410
    assert b"The link has expired or has already been used." in response.content
    assert signed_in_customer(client) is None
    assert SignInLink.objects.get().used_at is None


def test_link_still_works_just_before_it_expires(client, store, make_account_holder, smtp_sink):
    anna = make_account_holder(store, "anna@example.com")
    store_actions.update_store(store, signin_link_days=3)
    ask_for_link(client, "anna@example.com")
    path = emailed_link(smtp_sink, "anna@example.com")

    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=-1)):
        response = client.post(path)
        assert response.status_code == 302
        assert signed_in_customer(client) == anna


def test_link_of_one_store_is_refused_on_a_store_with_separate_accounts(
    client, store, other_store, make_account_holder, smtp_sink
):
    make_account_holder(store, "anna@example.com")
    make_account_holder(other_store, "anna@example.com")  # another person, same email
    ask_for_link(client, "anna@example.com")
    path = emailed_link(smtp_sink, "anna@example.com")

    page = client.get(path, HTTP_HOST="other.testserver")
    response = client.post(path, HTTP_HOST="other.testserver")

    assert page.status_code == 410
    assert response.status_code == 410
    assert signed_in_customer(client, host="other.testserver") is None
    assert SignInLink.objects.get().used_at is None


def test_link_works_on_every_store_sharing_the_accounts(client, db, make_account_holder, smtp_sink):
    north = store_actions.create_store(name="North", hostname="testserver", shares_accounts=True)
    store_actions.create_store(name="South", hostname="south.testserver", shares_accounts=True)
    anna = make_account_holder(north, "anna@example.com")
    ask_for_link(client, "anna@example.com")
    path = emailed_link(smtp_sink, "anna@example.com")

    response = client.post(path, HTTP_HOST="south.testserver")

    assert response.status_code == 302
    assert signed_in_customer(client, host="south.testserver") == anna


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_posts_of_one_link_make_exactly_one_session(
    store, make_account_holder, smtp_sink
):
    anna = make_account_holder(store, "anna@example.com")
    ask_for_link(Client(), "anna@example.com")
    path = emailed_link(smtp_sink, "anna@example.com")
    clients = [Client() for _ in range(10)]
    for each in clients:
        assert each.get(path).status_code == 200
    statuses: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(clients))

    def spend(each: Client) -> None:
        try:
            start.wait()
            statuses.append(each.post(path).status_code)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=spend, args=(each,)) for each in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(statuses) == [302] + [410] * 9
    signed_in = [each for each in clients if signed_in_customer(each) == anna]
    assert len(signed_in) == 1
    sessions = [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id")]
    assert len(sessions) == 1
    assert CustomerEvent.objects.filter(kind=CustomerEvent.Kind.SIGNED_IN_WITH_LINK).count() == 1


def test_known_and_unknown_emails_get_the_same_answer(
    client, store, make_account_holder, smtp_sink
):
    make_account_holder(store, "anna@example.com")

    known = ask_for_link(client, "anna@example.com")
    unknown = ask_for_link(client, "nobody@example.com")
    known_page = client.get(known["Location"])
    unknown_page = client.get(unknown["Location"])

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known_page.status_code == unknown_page.status_code == 200
    assert without_tokens(known_page.content) == without_tokens(unknown_page.content)
    deliver_due_emails()
    assert [m["To"] for m in smtp_sink.messages] == ["anna@example.com"]


def test_no_link_for_a_deactivated_account_or_a_record_without_account(
    client, store, make_account_holder, smtp_sink
):
    anna = make_account_holder(store, "anna@example.com")
    actions.deactivate_account(anna, actor=None)
    actions.create_customer(store=store, email="guest@example.com", actor=None)

    for email in ("anna@example.com", "guest@example.com"):
        response = ask_for_link(client, email)
        assert response["Location"] == "/account/login/link/sent/"

    assert SignInLink.objects.count() == 0
    assert deliver_due_emails() == 0


def test_link_of_a_since_deactivated_account_does_not_sign_in(
    client, store, make_account_holder, smtp_sink
):
    anna = make_account_holder(store, "anna@example.com")
    ask_for_link(client, "anna@example.com")
    path = emailed_link(smtp_sink, "anna@example.com")
    actions.deactivate_account(anna, actor=None)

    response = client.post(path)

    assert response.status_code == 410
    assert signed_in_customer(client) is None


def test_asking_too_often_for_one_email_is_refused(client, store, make_account_holder, smtp_sink):
    make_account_holder(store, "anna@example.com")

    answers = [ask_for_link(client, "anna@example.com").status_code for _ in range(4)]

    assert answers == [302, 302, 302, 429]
    refused = ask_for_link(client, "anna@example.com")
    assert b"Too many failed login attempts" in refused.content
    assert SignInLink.objects.count() == 3


def test_customer_with_two_factor_is_asked_for_the_second_factor(
    client, store, make_account_holder, smtp_sink
):
    anna = make_account_holder(store, "anna@example.com")
    TOTP.activate(anna, generate_totp_secret())
    ask_for_link(client, "anna@example.com")
    path = emailed_link(smtp_sink, "anna@example.com")

    response = client.post(path)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_customer(client) is None
    assert SignInLink.objects.get().used_at is not None


def test_link_pages_are_not_found_where_the_store_has_links_switched_off(
    client, store, make_account_holder, smtp_sink
):
    make_account_holder(store, "anna@example.com")
    ask_for_link(client, "anna@example.com")
    path = emailed_link(smtp_sink, "anna@example.com")
    store_actions.update_store(store, signin_with_link=False)

    assert client.get(LINK_REQUEST).status_code == 404
    assert ask_for_link(client, "anna@example.com").status_code == 404
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    assert signed_in_customer(client) is None
    assert SignInLink.objects.count() == 1


@pytest.mark.parametrize(("days", "says"), [(14, "for 14 days."), (1, "for 1 day.")])
def test_request_page_says_how_long_the_link_works(client, store, days, says):
    store_actions.update_store(store, signin_link_days=days)

    assert says in client.get(LINK_REQUEST).content.decode()
