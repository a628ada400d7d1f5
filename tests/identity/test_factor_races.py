"""One authenticator-app code and one recovery code sign in once: ten
parallel submissions make exactly one session, and a code used on one
server process is refused on another (whose cache never saw it)."""

import threading
from datetime import UTC, datetime

import pytest
import time_machine
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from shop_accounts.customers.models import Customer
from tests.conftest import MERCHANT_TOTP_SECRET as SECRET
from tests.conftest import PASSWORD
from tests.totp import current_totp

LOGIN = "/account/login/"
# The start of a 30-second authenticator step: the code stays valid for the
# whole test.
STEP_START = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    # Generous limits, so that every parallel request really checks the code.
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login": "100/m/ip",
        "login_failed": "100/m/ip,100/5m/key",
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen_step():
    with time_machine.travel(STEP_START, tick=True):
        yield


def at_second_factor(email: str, count: int) -> list[Client]:
    clients = [Client() for _ in range(count)]
    for each in clients:
        response = each.post(LOGIN, {"login": email, "password": PASSWORD})
        assert response["Location"] == reverse("mfa_authenticate")
    return clients


def submit_in_parallel(clients: list[Client], code: str) -> list[int]:
    statuses: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(clients))

    def submit(each: Client) -> None:
        try:
            start.wait()
            statuses.append(each.post(reverse("mfa_authenticate"), {"code": code}).status_code)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(each,)) for each in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return statuses


def signed_in_sessions(customer: Customer) -> int:
    return sum(
        1
        for session in Session.objects.all()
        if session.get_decoded().get("_auth_user_id") == str(customer.pk)
    )


def signed_in(client: Client) -> bool:
    return client.get(reverse("storefront:my-account")).wsgi_request.user.is_authenticated


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_submissions_of_one_authenticator_code_make_one_session(
    store, make_account_holder, frozen_step
):
    anna = make_account_holder(store, "anna@example.com")
    TOTP.activate(anna, SECRET)
    clients = at_second_factor("anna@example.com", 10)

    statuses = submit_in_parallel(clients, current_totp(SECRET))

    assert sorted(statuses) == [200] * 9 + [302]
    assert signed_in_sessions(anna) == 1
    assert sum(signed_in(each) for each in clients) == 1


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_submissions_of_one_recovery_code_make_one_session(store, make_account_holder):
    anna = make_account_holder(store, "anna@example.com")
    TOTP.activate(anna, SECRET)
    code = RecoveryCodes.activate(anna).get_unused_codes()[0]
    clients = at_second_factor("anna@example.com", 10)

    statuses = submit_in_parallel(clients, code)

    assert sorted(statuses) == [200] * 9 + [302]
    assert signed_in_sessions(anna) == 1
    assert sum(signed_in(each) for each in clients) == 1
    assert (
        code
        not in RecoveryCodes(anna.authenticator_set.get(type="recovery_codes")).get_unused_codes()
    )


@pytest.mark.django_db
def test_an_authenticator_code_used_on_one_server_process_is_refused_on_another(
    store, make_account_holder, frozen_step
):
    anna = make_account_holder(store, "anna@example.com")
    TOTP.activate(anna, SECRET)
    first, second = at_second_factor("anna@example.com", 2)
    code = current_totp(SECRET)
    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302

    cache.clear()  # another worker process: its own in-memory cache
    replay = second.post(reverse("mfa_authenticate"), {"code": code})

    assert replay.status_code == 200
    assert b"Incorrect code." in replay.content
    assert signed_in_sessions(anna) == 1


@pytest.mark.django_db
def test_the_next_authenticator_code_still_works_after_one_was_used(
    store, make_account_holder, frozen_step
):
    anna = make_account_holder(store, "anna@example.com")
    TOTP.activate(anna, SECRET)
    first, second = at_second_factor("anna@example.com", 2)
    assert (
        first.post(reverse("mfa_authenticate"), {"code": current_totp(SECRET)}).status_code == 302
    )

    with time_machine.travel(STEP_START.timestamp() + 31, tick=False):
        response = second.post(reverse("mfa_authenticate"), {"code": current_totp(SECRET)})

    assert response.status_code == 302
    assert signed_in_sessions(anna) == 2
