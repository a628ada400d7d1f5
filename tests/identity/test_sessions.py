"""Sessions: a new key at sign-in, ended on the server at sign-out (a POST),
gone with the browser unless the customer stays signed in (then after
SHOP_REMEMBER_DAYS), staff sessions limited to 24 hours and 1 hour idle, and
the customer's list of sessions with sign-out of one or all the others."""

from datetime import timedelta

import time_machine
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD

LOGIN = "/account/login/"
LOGOUT = "/account/logout/"
SESSIONS = "/account/sessions/"
BACKOFFICE = "/backoffice/"
DAY = 24 * 60 * 60

WINDOWS_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 15; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/141.0.0.0 Mobile Safari/537.36"
)


def sign_in(client: Client, email: str, *, remember: bool = False, **headers: str):
    data = {"login": email, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    response = client.post(LOGIN, data, **headers)
    assert response.status_code == 302
    assert response["Location"] == reverse("storefront:my-account")
    return response


def signed_in(client: Client) -> bool:
    return client.get(reverse("storefront:my-account")).wsgi_request.user.is_authenticated


def signed_in_sessions() -> int:
    return sum(1 for s in Session.objects.all() if s.get_decoded().get("_auth_user_id"))


def test_signing_in_gives_the_session_a_new_key(client, store, make_account_holder):
    make_account_holder(store, "anna@example.com")
    client.get(LOGIN)
    session = client.session
    session["seen_before_sign_in"] = True
    session.save()
    before = client.session.session_key

    sign_in(client, "anna@example.com")

    after = client.session.session_key
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.filter(session_key=after).exists()


def test_sign_out_by_link_only_asks_to_confirm(client, store, make_account_holder):
    make_account_holder(store, "anna@example.com")
    sign_in(client, "anna@example.com")

    page = client.get(LOGOUT)

    assert page.status_code == 200
    assert b'<form method="post" action="/account/logout/"' in page.content
    assert signed_in(client)


def test_sign_out_ends_the_session_on_the_server(client, store, make_account_holder):
    make_account_holder(store, "anna@example.com")
    sign_in(client, "anna@example.com")
    stolen_cookie = client.cookies["sessionid"].value

    response = client.post(LOGOUT)

    assert response.status_code == 302
    assert not Session.objects.filter(session_key=stolen_cookie).exists()
    replay = Client()
    replay.cookies["sessionid"] = stolen_cookie
    assert not signed_in(replay)
    assert not signed_in(client)


def test_without_stay_signed_in_the_session_ends_with_the_browser(
    client, store, make_account_holder
):
    make_account_holder(store, "anna@example.com")

    response = sign_in(client, "anna@example.com")

    cookie = response.cookies["sessionid"]
    assert (cookie["max-age"], cookie["expires"]) == ("", "")


def test_stay_signed_in_keeps_the_session_for_thirty_days(client, store, make_account_holder):
    make_account_holder(store, "anna@example.com")

    response = sign_in(client, "anna@example.com", remember=True)

    assert response.cookies["sessionid"]["max-age"] == 30 * DAY
    with time_machine.travel(timezone.now() + timedelta(days=29), tick=False):
        assert signed_in(client)
    with time_machine.travel(timezone.now() + timedelta(days=31), tick=False):
        assert not signed_in(client)


def test_stay_signed_in_follows_the_setting(client, store, make_account_holder, settings):
    settings.SESSION_COOKIE_AGE = 2 * DAY
    make_account_holder(store, "anna@example.com")

    response = sign_in(client, "anna@example.com", remember=True)

    assert response.cookies["sessionid"]["max-age"] == 2 * DAY


def test_sign_in_page_offers_to_stay_signed_in(client, store):
    page = client.get(LOGIN).content.decode()

    assert 'name="remember"' in page
    assert "Stay signed in" in page


# --- staff -------------------------------------------------------------------------------


def test_staff_session_ends_after_an_hour_without_a_request(client, store, merchant):
    client.force_login(merchant)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        assert client.get(BACKOFFICE).status_code == 200
    with time_machine.travel(now + timedelta(minutes=59), tick=False):
        assert client.get(BACKOFFICE).status_code == 200
    key = client.session.session_key

    with time_machine.travel(now + timedelta(minutes=59 + 61), tick=False):
        response = client.get(BACKOFFICE)

        assert response.status_code == 302
        assert not response.wsgi_request.user.is_authenticated
    assert not Session.objects.filter(session_key=key).exists()


def test_staff_session_ends_after_24_hours_however_busy(client, store, merchant):
    client.force_login(merchant)
    start = timezone.now()
    answers = []
    for minutes in range(0, 25 * 60, 50):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            answers.append((minutes, client.get(BACKOFFICE).status_code))

    assert all(status == 200 for minutes, status in answers if minutes <= 24 * 60)
    assert next(status for minutes, status in answers if minutes > 24 * 60) == 302


def test_a_customer_session_has_no_idle_limit(client, store, make_account_holder):
    make_account_holder(store, "anna@example.com")
    sign_in(client, "anna@example.com", remember=True)

    with time_machine.travel(timezone.now() + timedelta(hours=5), tick=False):
        assert signed_in(client)


# --- the customer's sessions -----------------------------------------------------------


def test_my_account_links_to_the_list_of_sessions(client, store, make_account_holder):
    make_account_holder(store, "anna@example.com")
    sign_in(client, "anna@example.com")

    page = client.get(reverse("storefront:my-account")).content.decode()

    assert f'href="{SESSIONS}"' in page


def test_sessions_list_shows_each_device(store, make_account_holder):
    make_account_holder(store, "anna@example.com")
    laptop = Client(HTTP_USER_AGENT=WINDOWS_FIREFOX)
    phone = Client(HTTP_USER_AGENT=ANDROID_CHROME)
    sign_in(laptop, "anna@example.com")
    sign_in(phone, "anna@example.com")

    page = laptop.get(SESSIONS)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Firefox 140 on Windows 10" in text
    assert "Chrome Mobile 141 on Samsung SM-S918B (Android 15)" in text
    assert UserSession.objects.count() == 2


def test_signing_out_other_sessions_ends_them_and_keeps_this_one(store, make_account_holder):
    make_account_holder(store, "anna@example.com")
    laptop, phone, tablet = Client(), Client(), Client()
    for each in (laptop, phone, tablet):
        sign_in(each, "anna@example.com")

    response = laptop.post(SESSIONS)

    assert response.status_code == 302
    assert signed_in(laptop)
    assert not signed_in(phone)
    assert not signed_in(tablet)
    assert signed_in_sessions() == 1


def test_signing_out_one_other_session_ends_only_that_one(store, make_account_holder):
    make_account_holder(store, "anna@example.com")
    laptop, phone, tablet = Client(), Client(), Client()
    for each in (laptop, phone, tablet):
        sign_in(each, "anna@example.com")
    phone_session = UserSession.objects.get(session_key=phone.session.session_key)

    response = laptop.post(reverse("identity:session-end", args=[phone_session.pk]))

    assert response.status_code == 302
    assert response["Location"] == SESSIONS
    assert signed_in(laptop)
    assert not signed_in(phone)
    assert signed_in(tablet)


def test_a_session_of_someone_else_cannot_be_ended(store, make_account_holder):
    make_account_holder(store, "anna@example.com")
    make_account_holder(store, "bert@example.com")
    anna, bert = Client(), Client()
    sign_in(anna, "anna@example.com")
    sign_in(bert, "bert@example.com")
    bert_session = UserSession.objects.get(session_key=bert.session.session_key)

    response = anna.post(reverse("identity:session-end", args=[bert_session.pk]))

    assert response.status_code == 404
    assert signed_in(bert)


def test_ending_a_session_needs_a_post(client, store, make_account_holder):
    make_account_holder(store, "anna@example.com")
    sign_in(client, "anna@example.com")
    own = UserSession.objects.get()

    response = client.get(reverse("identity:session-end", args=[own.pk]))

    assert response.status_code == 405
    assert signed_in(client)
