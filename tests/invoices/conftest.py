"""A seller, buyers and lines for invoices: a Dutch shop selling to a
Dutch consumer and to a German business (reverse charge)."""

from decimal import Decimal

import pytest

from shop_accounts.invoices.documents import LineInput, Party


@pytest.fixture
def seller() -> Party:
    return Party(
        name="Test Shop B.V.",
        address_lines=("Keizersgracht 100",),
        postcode="1015 CJ",
        city="Amsterdam",
        country="NL",
        vat_number="NL000099998B57",
    )


@pytest.fixture
def consumer() -> Party:
    return Party(
        name="Anna Jansen",
        address_lines=("Prinsengracht 7", "3 hoog"),
        postcode="1016 GV",
        city="Amsterdam",
        country="NL",
    )


@pytest.fixture
def business() -> Party:
    return Party(
        name="Kaffeehaus Müller GmbH",
        address_lines=("Hauptstraße 5",),
        postcode="10115",
        city="Berlin",
        country="DE",
        vat_number="DE136695976",
    )


@pytest.fixture
def lines() -> list[LineInput]:
    """Two rates: 2 × 4.95 and 1 × 1,234.50 at 21 %, 3 × 2.99 at 9 %."""
    return [
        LineInput("Espresso cups", Decimal("2"), Decimal("4.95"), Decimal("21"), sku="CUP-2"),
        LineInput("Espresso machine", Decimal("1"), Decimal("1234.50"), Decimal("21")),
        LineInput("Coffee beans 250 g", Decimal("3"), Decimal("2.99"), Decimal("9")),
    ]


@pytest.fixture
def zero_rated_lines(lines) -> list[LineInput]:
    """The same lines at 0 %, as a reverse-charge sale has them."""
    return [
        LineInput(line.description, line.quantity, line.unit_net, Decimal("0"), sku=line.sku)
        for line in lines
    ]
