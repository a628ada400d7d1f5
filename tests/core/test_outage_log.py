"""A database outage is logged once when it starts and once when it ends,
however many requests meet it; a flapping database at most once a minute."""

import logging

from django.db import OperationalError

from shop_accounts.core.outages import Outage


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "shop_accounts.core.outages"]


def test_an_outage_met_by_many_requests_is_two_lines(caplog):
    caplog.set_level(logging.WARNING)
    clock = Clock()
    outage = Outage("requests are answered 503", clock=clock)

    for _request in range(50):
        outage.failed(OperationalError("connection refused\nIs the server running?"))
        clock.now += 0.5
    outage.recovered()
    outage.recovered()

    assert lines(caplog) == [
        "Database unavailable (OperationalError: connection refused); "
        "requests are answered 503 until it answers again.",
        "Database available again after 25 s (50 failed attempts).",
    ]


def test_a_flapping_database_is_logged_at_most_once_a_minute(caplog):
    caplog.set_level(logging.WARNING)
    clock = Clock()
    outage = Outage("requests are answered 503", clock=clock)

    # 503, 200, 503, 200, ... every second for 90 seconds
    for _second in range(90):
        outage.failed(OperationalError("no connection"))
        clock.now += 0.5
        outage.recovered()
        clock.now += 0.5

    assert [line.split(" (")[0] for line in lines(caplog)] == [
        "Database unavailable",
        "Database available again after 0 s",
        "Database unavailable",
        "Database available again after 0 s",
    ]


def test_an_outage_that_goes_on_after_a_flap_is_still_logged(caplog):
    caplog.set_level(logging.WARNING)
    clock = Clock()
    outage = Outage("the worker retries", clock=clock)
    outage.failed(OperationalError("no connection"))
    outage.recovered()
    clock.now += 10

    # down again 10 s later, for five minutes
    for _attempt in range(30):
        outage.failed(OperationalError("no connection"))
        clock.now += 10
    outage.recovered()

    assert [line.split(" (")[0] for line in lines(caplog)] == [
        "Database unavailable",
        "Database available again after 0 s",
        "Database unavailable",
        "Database available again after 300 s",
    ]
