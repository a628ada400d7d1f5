"""Invitations to open an account: the merchant invites existing customer
records (one or in bulk, or again); the email is in the customer's language
with the store's own subject and message; the link shows a password form,
works once (also under concurrency), expires after the store's setting with
a way to ask for a new one, and only on the stores of its account realm."""

import re
import threading
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer, CustomerEvent, Invitation
from shop_accounts.identity import invitations
from shop_accounts.identity.errors import NotInvitable
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import EmailText

Kind = CustomerEvent.Kind
State = Customer.AccountState
LINK_URL = re.compile(r"http://([^\s/]+)(/account/invitation/[A-Za-z0-9_\-]+/)")
NEW_PASSWORD = "a long walk on a quiet beach"


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".testserver"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anna(store) -> Customer:
    return actions.create_customer(
        store=store, email="anna@example.com", actor=None, first_name="Anna"
    )


def emailed_link(smtp_sink, email: str) -> str:
    """The path of the invitation link in the newest email to `email`."""
    deliver_due_emails()
    messages = smtp_sink.to(email)
    assert messages
    match = LINK_URL.search(smtp_sink.text_of(messages[-1]))
    assert match, smtp_sink.text_of(messages[-1])
    assert match.group(1) == "testserver"  # the store's own host
    return match.group(2)


def signed_in_customer(client: Client, host: str = "testserver") -> Customer | None:
    response = client.get(reverse("storefront:my-account"), HTTP_HOST=host)
    user = response.wsgi_request.user
    return user if user.is_authenticated else None


def accept(client: Client, path: str, password: str = NEW_PASSWORD, **extra):
    return client.post(path, {"password1": password, "password2": password}, **extra)


# --- inviting ------------------------------------------------------------------------------


def test_invitation_email_has_the_default_text_and_a_link_valid_for_the_store_setting(
    store, anna, merchant, smtp_sink
):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        invitation = invitations.invite_customer(anna, store=store, actor=merchant)

    emailed_link(smtp_sink, "anna@example.com")
    (message,) = smtp_sink.to("anna@example.com")
    text = smtp_sink.text_of(message)
    assert message["Subject"] == "Your invitation to Test Shop"
    assert message["From"] == "Test Shop <shop@localhost>"
    assert text.startswith("Hello Anna,")
    assert "You are invited to open a customer account at Test Shop." in text
    assert invitation.expires_at == now + timedelta(days=30)
    anna.refresh_from_db()
    assert anna.account_state == State.INVITED
    assert not anna.is_active
    event = anna.events.get(kind=Kind.INVITED)
    assert event.actor == merchant
    assert event.data["invitation_id"] == invitation.pk
    assert invitations.latest_invitation(anna).status == Invitation.Status.SENT


def test_invitation_is_in_the_customers_language_with_the_stores_own_text(
    store, merchant, smtp_sink
):
    jan = actions.create_customer(store=store, email="jan@example.com", actor=None, language="nl")
    EmailText.objects.create(
        store=store,
        kind=EmailText.Kind.INVITATION,
        language="nl",
        subject="Welkom bij onze groothandel",
        message="Beste klant, maak uw account aan voor onze nieuwe webwinkel.",
    )
    EmailText.objects.create(
        store=store,
        kind=EmailText.Kind.INVITATION,
        language="en",
        subject="Not for Jan",
        message="Not for Jan either.",
    )

    invitations.invite_customer(jan, store=store, actor=merchant)

    emailed_link(smtp_sink, "jan@example.com")
    (message,) = smtp_sink.to("jan@example.com")
    assert message["Subject"] == "Welkom bij onze groothandel"
    assert "Beste klant, maak uw account aan voor onze nieuwe webwinkel." in smtp_sink.text_of(
        message
    )
    assert "Not for Jan" not in smtp_sink.text_of(message)
    assert OutboundEmail.objects.get(recipient="jan@example.com").language == "nl"


def test_merchant_may_write_the_subject_and_message_of_one_invitation(
    store, anna, merchant, smtp_sink
):
    invitations.invite_customer(
        anna, store=store, actor=merchant, subject="Come in, Anna", message="We kept a seat."
    )

    emailed_link(smtp_sink, "anna@example.com")
    (message,) = smtp_sink.to("anna@example.com")
    assert message["Subject"] == "Come in, Anna"
    assert "We kept a seat." in smtp_sink.text_of(message)
    assert Invitation.objects.get().subject == "Come in, Anna"


def test_resending_replaces_the_open_invitation(client, store, anna, merchant, smtp_sink):
    invitations.invite_customer(anna, store=store, actor=merchant)
    first = emailed_link(smtp_sink, "anna@example.com")

    invitations.resend_invitation(anna, actor=merchant)
    second = emailed_link(smtp_sink, "anna@example.com")

    assert first != second
    assert len(smtp_sink.to("anna@example.com")) == 2
    assert [
        e.kind for e in anna.events.filter(kind__in=[Kind.INVITED, Kind.INVITATION_RESENT])
    ] == [
        Kind.INVITATION_RESENT,
        Kind.INVITED,
    ]
    old = client.get(first)
    assert old.status_code == 410
    assert b"This invitation has expired" in old.content
    assert client.get(second).status_code == 200
    assert invitations.latest_invitation(anna).status == Invitation.Status.SENT


def test_customer_with_an_account_is_not_invited(store, make_account_holder, merchant, smtp_sink):
    holder = make_account_holder(store, "holder@example.com")

    with pytest.raises(NotInvitable):
        invitations.invite_customer(holder, store=store, actor=merchant)

    holder.refresh_from_db()
    assert holder.account_state == State.ACTIVE
    assert Invitation.objects.count() == 0
    assert not holder.events.filter(kind=Kind.INVITED).exists()
    assert deliver_due_emails() == 0


def test_bulk_invitation_counts_who_was_invited_and_who_was_skipped(
    store, other_store, make_account_holder, merchant, smtp_sink
):
    anna = actions.create_customer(store=store, email="anna@example.com", actor=None)
    bert = actions.create_customer(store=other_store, email="bert@example.com", actor=None)
    holder = make_account_holder(store, "holder@example.com")
    nomail = actions.create_customer(store=store, email="nomail@example.com", actor=None)
    Customer.objects.filter(pk=nomail.pk).update(email="")  # an old import without email

    result = invitations.invite_customers(
        Customer.objects.filter(pk__in=[anna.pk, bert.pk, holder.pk, nomail.pk]).order_by("pk"),
        actor=merchant,
    )

    assert result == invitations.BulkInvitationResult(
        invited=2, have_account=1, without_email=1, not_invited_yet=0
    )
    assert deliver_due_emails() == 2
    assert sorted(m["To"] for m in smtp_sink.messages) == ["anna@example.com", "bert@example.com"]
    (bert_email,) = smtp_sink.to("bert@example.com")
    assert "http://other.testserver/account/invitation/" in smtp_sink.text_of(bert_email)
    assert bert_email["Subject"] == "Your invitation to Other Shop"


def test_bulk_resend_only_reaches_customers_invited_before(store, merchant, smtp_sink):
    anna = actions.create_customer(store=store, email="anna@example.com", actor=None)
    carl = actions.create_customer(store=store, email="carl@example.com", actor=None)
    invitations.invite_customer(anna, store=store, actor=merchant)

    result = invitations.invite_customers(
        Customer.objects.filter(pk__in=[anna.pk, carl.pk]), actor=merchant, resend_only=True
    )

    assert result.invited == 1
    assert result.not_invited_yet == 1
    carl.refresh_from_db()
    assert carl.account_state == State.NONE
    assert Invitation.objects.filter(customer=anna).count() == 2


# --- accepting -----------------------------------------------------------------------------


def test_link_shows_a_password_form_and_accepting_opens_the_account_and_signs_in(
    client, store, anna, merchant, smtp_sink
):
    invitations.invite_customer(anna, store=store, actor=merchant)
    path = emailed_link(smtp_sink, "anna@example.com")

    page = client.get(path)  # what a mail scanner does too
    assert page.status_code == 200
    html = page.content.decode()
    assert "Open your account at Test Shop" in html
    assert 'value="anna@example.com"' in html and "disabled" in html
    assert 'name="password1"' in html
    assert Invitation.objects.get().accepted_at is None

    response = accept(client, path)

    assert response.status_code == 302
    assert response["Location"] == reverse("storefront:my-account")
    landing = client.get(response["Location"])
    assert "Your account is open. Tip: add a passkey" in landing.content.decode()
    assert landing.wsgi_request.user == anna
    anna.refresh_from_db()
    assert anna.account_state == State.ACTIVE
    assert anna.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.get(user=anna).verified
    assert invitations.latest_invitation(anna).status == Invitation.Status.ACCEPTED
    accepted = anna.events.get(kind=Kind.INVITATION_ACCEPTED)
    assert accepted.actor == anna
    assert anna.events.filter(kind=Kind.ACCOUNT_ACTIVATED).exists()
    # The new password signs in on its own later.
    client.post(reverse("account_logout"))
    again = Client()
    signin = again.post(
        reverse("account_login"), {"login": "anna@example.com", "password": NEW_PASSWORD}
    )
    assert signin.status_code == 302
    assert signed_in_customer(again) == anna


def test_a_refused_password_leaves_the_invitation_open(client, store, anna, merchant, smtp_sink):
    invitations.invite_customer(anna, store=store, actor=merchant)
    path = emailed_link(smtp_sink, "anna@example.com")

    short = accept(client, path, password="short")
    mismatch = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})

    assert short.status_code == 400
    assert mismatch.status_code == 400
    assert b"You must type the same password each time." in mismatch.content
    assert signed_in_customer(client) is None
    anna.refresh_from_db()
    assert anna.account_state == State.INVITED
    assert not anna.has_usable_password()
    assert Invitation.objects.get().accepted_at is None
    assert accept(client, path).status_code == 302


def test_used_link_says_so_and_offers_sign_in_or_reset(client, store, anna, merchant, smtp_sink):
    invitations.invite_customer(anna, store=store, actor=merchant)
    path = emailed_link(smtp_sink, "anna@example.com")
    accept(client, path)
    client.post(reverse("account_logout"))

    again = Client()
    page = again.get(path)
    response = accept(again, path, password="another password entirely")

    for answer in (page, response):
        assert answer.status_code == 410
        assert b"This invitation has already been used" in answer.content
        assert reverse("account_login").encode() in answer.content
        assert reverse("account_reset_password").encode() in answer.content
    assert signed_in_customer(again) is None
    anna.refresh_from_db()
    assert anna.check_password(NEW_PASSWORD)
    assert anna.events.filter(kind=Kind.INVITATION_ACCEPTED).count() == 1


def test_link_expires_after_the_store_setting_and_offers_a_new_invitation(
    client, store, anna, merchant, smtp_sink
):
    store = store_actions.update_store(store, invitation_days=7)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        invitations.invite_customer(anna, store=store, actor=merchant)
    path = emailed_link(smtp_sink, "anna@example.com")

    with time_machine.travel(now + timedelta(days=7, minutes=-1), tick=False):
        assert client.get(path).status_code == 200
    with time_machine.travel(now + timedelta(days=7, seconds=1), tick=False):
        page = client.get(path)
        refused = accept(client, path)
        assert invitations.latest_invitation(anna).status == Invitation.Status.EXPIRED

        assert page.status_code == refused.status_code == 410
        assert b"This invitation has expired" in page.content
        renew = reverse("identity:invitation-renew", args=[path.rstrip("/").rsplit("/", 1)[1]])
        assert renew.encode() in page.content
        assert signed_in_customer(client) is None
        assert Invitation.objects.get().accepted_at is None

        answer = client.post(renew)
        assert answer.status_code == 200
        assert b"Check your inbox" in answer.content
        fresh = emailed_link(smtp_sink, "anna@example.com")
        assert fresh != path
        assert anna.events.get(kind=Kind.INVITATION_RESENT).actor == anna

        assert accept(client, fresh).status_code == 302
        assert signed_in_customer(client) == anna


def test_asking_for_a_new_invitation_answers_the_same_whatever_happens(
    client, store, anna, merchant, smtp_sink
):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        invitations.invite_customer(anna, store=store, actor=merchant)
    path = emailed_link(smtp_sink, "anna@example.com")
    token = path.rstrip("/").rsplit("/", 1)[1]

    with time_machine.travel(now + timedelta(days=31)):
        answers = [
            client.post(reverse("identity:invitation-renew", args=[token])) for _ in range(5)
        ]
        unknown = client.post(reverse("identity:invitation-renew", args=["no-such-token"]))
    open_one = client.post(reverse("identity:invitation-renew", args=[token]))

    pages = {(a.status_code, re.sub(rb'(value|nonce)="[^"]*"', b"", a.content)) for a in answers}
    pages.add((unknown.status_code, re.sub(rb'(value|nonce)="[^"]*"', b"", unknown.content)))
    assert len(pages) == 1
    assert open_one.status_code == 200
    # Three renewals per link an hour; the unknown link and the open one send nothing.
    assert deliver_due_emails() == 3
    assert Invitation.objects.filter(customer=anna).count() == 4


def test_link_is_refused_on_a_store_with_separate_accounts(
    client, store, other_store, anna, merchant, smtp_sink
):
    actions.create_customer(store=other_store, email="anna@example.com", actor=None)
    invitations.invite_customer(anna, store=store, actor=merchant)
    path = emailed_link(smtp_sink, "anna@example.com")

    page = client.get(path, HTTP_HOST="other.testserver")
    response = accept(client, path, HTTP_HOST="other.testserver")
    renew = client.post(path + "renew/", HTTP_HOST="other.testserver")

    assert page.status_code == response.status_code == 404
    assert b"This invitation link is not valid" in page.content
    assert renew.status_code == 200
    assert signed_in_customer(client, host="other.testserver") is None
    assert Invitation.objects.get().accepted_at is None
    anna.refresh_from_db()
    assert anna.account_state == State.INVITED
    assert deliver_due_emails() == 0


def test_link_works_on_every_store_sharing_the_accounts(client, db, smtp_sink):
    north = store_actions.create_store(name="North", hostname="testserver", shares_accounts=True)
    store_actions.create_store(name="South", hostname="south.testserver", shares_accounts=True)
    anna = actions.create_customer(store=north, email="anna@example.com", actor=None)
    invitations.invite_customer(anna, store=north, actor=None)
    path = emailed_link(smtp_sink, "anna@example.com")

    response = accept(client, path, HTTP_HOST="south.testserver")

    assert response.status_code == 302
    assert signed_in_customer(client, host="south.testserver") == anna


def test_unknown_link_is_not_found(client, store):
    response = client.get("/account/invitation/not-a-real-token/")

    assert response.status_code == 404
    assert b"This invitation link is not valid" in response.content


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_acceptances_of_one_invitation_make_exactly_one_session(store, smtp_sink):
    anna = actions.create_customer(store=store, email="anna@example.com", actor=None)
    invitations.invite_customer(anna, store=store, actor=None)
    path = emailed_link(smtp_sink, "anna@example.com")
    clients = [Client() for _ in range(10)]
    for each in clients:
        assert each.get(path).status_code == 200
    statuses: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(clients))

    def spend(index: int, each: Client) -> None:
        try:
            start.wait()
            statuses.append(accept(each, path, password=f"{NEW_PASSWORD} {index}").status_code)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=spend, args=pair) for pair in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(statuses) == [302] + [410] * 9
    winners = [i for i, each in enumerate(clients) if signed_in_customer(each) == anna]
    assert len(winners) == 1
    anna.refresh_from_db()
    assert anna.check_password(f"{NEW_PASSWORD} {winners[0]}")
    sessions = [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id")]
    assert len(sessions) == 1
    assert CustomerEvent.objects.filter(kind=Kind.INVITATION_ACCEPTED).count() == 1
    assert CustomerEvent.objects.filter(kind=Kind.ACCOUNT_ACTIVATED).count() == 1


def test_invitation_only_store_has_no_sign_up_form_but_invitations_work(
    client, store, anna, smtp_sink
):
    store_actions.update_store(store, signup_mode="invitation")
    invitations.invite_customer(anna, store=store, actor=None)
    path = emailed_link(smtp_sink, "anna@example.com")

    signup = client.get(reverse("account_signup"))

    assert b'name="password1"' not in signup.content
    assert accept(client, path).status_code == 302
    assert signed_in_customer(client) == anna
