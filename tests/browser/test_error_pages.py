"""The 503 and 500 pages pass axe-core in Chromium, in the shop's look (its
stylesheet from the live server) and in the visitor's language. The pages are
what handler500 answers (core/outages.py); the browser is handed them at a
live-server address, since the live server's database cannot be taken away
for one request."""

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from playwright.sync_api import Page, Route

from shop_accounts.core.outages import server_error
from tests.browser.test_accessibility import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_to(error: Exception, request):
    try:
        raise error
    except type(error):
        return server_error(request)


def show(page: Page, response) -> None:
    def fulfil(route: Route) -> None:
        route.fulfill(
            status=response.status_code,
            headers=dict(response.items()),
            body=response.content,
        )

    page.route("**/page-that-failed/", fulfil)
    page.goto("/page-that-failed/")


def test_the_503_page_without_a_store_is_accessible_in_the_visitors_language(page: Page):
    request = RequestFactory().get("/page-that-failed/", headers={"accept-language": "nb"})
    response = answer_to(OperationalError("connection refused"), request)

    show(page, response)

    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.locator("h1").all_inner_texts() == ["Midlertidig utilgjengelig"]
    assert page.locator("main").count() == 1
    # the shop's stylesheet applies (its header rule)
    style = "getComputedStyle(document.querySelector('.site-header')).borderBottomStyle"
    assert page.evaluate(style) == "solid"
    assert axe_violations(page) == []


def test_the_500_page_with_the_store_is_accessible(page: Page, live_store):
    request = RequestFactory().get("/page-that-failed/")
    request.store = live_store
    response = answer_to(RuntimeError("a bug"), request)

    show(page, response)

    assert page.locator("h1").all_inner_texts() == ["Something went wrong"]
    assert page.locator(".store-name").inner_text() == "Browser Shop"
    assert axe_violations(page) == []
