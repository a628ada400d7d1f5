"""The 500 and 503 pages: the shop's look, the visitor's language, no
details of the error, and JSON for API clients (handler500,
core/outages.py). The real outage, end to end: tests/production/."""

import json

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from shop_accounts.core.outages import server_error


def answer_to(error: Exception, request):
    # handler500 runs while Django handles the exception, as here.
    try:
        raise error
    except type(error):
        return server_error(request)


def test_a_database_that_cannot_be_reached_answers_503_in_the_visitors_language():
    request = RequestFactory().get("/my-account/", headers={"accept-language": "de-DE,de;q=0.9"})

    response = answer_to(OperationalError("connection refused on 10.0.0.5"), request)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Language"] == "de"
    page = response.content.decode()
    assert "<h1>Vorübergehend nicht verfügbar</h1>" in page
    assert '<html lang="de">' in page
    assert "10.0.0.5" not in page and "OperationalError" not in page


def test_the_language_cookie_wins_over_the_browsers_language(settings):
    request = RequestFactory().get("/", headers={"accept-language": "de"})
    request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = "nl"

    response = answer_to(OperationalError("server closed the connection"), request)

    assert response["Content-Language"] == "nl"
    assert "<h1>Tijdelijk niet beschikbaar</h1>" in response.content.decode()


@pytest.mark.django_db
def test_the_page_carries_the_store_when_the_request_had_found_it(store):
    request = RequestFactory().get("/")
    request.store = store

    response = answer_to(OperationalError("terminating connection"), request)

    page = response.content.decode()
    assert '<a class="store-name" href="/">Test Shop</a>' in page
    assert "<title>Temporarily unavailable · Test Shop</title>" in page


@pytest.mark.parametrize(
    ("path", "accept"), [("/api/v1/customers/", "*/*"), ("/my-account/", "application/json")]
)
def test_api_clients_get_json(path, accept):
    request = RequestFactory().get(path, headers={"accept": accept})

    response = answer_to(OperationalError("no connection within 3 s"), request)

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    assert json.loads(response.content) == {
        "code": "temporarily_unavailable",
        "message": "The shop is temporarily unavailable. Please try again in a few minutes.",
    }


def test_another_error_is_a_500_page_without_its_details():
    request = RequestFactory().get("/", headers={"accept-language": "it"})

    response = answer_to(RuntimeError("secret detail: /srv/shop/settings.py"), request)

    assert response.status_code == 500
    assert "Retry-After" not in response
    page = response.content.decode()
    assert "<h1>Qualcosa è andato storto</h1>" in page
    assert "secret detail" not in page and "RuntimeError" not in page
