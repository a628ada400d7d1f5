"""Amounts round half up to the currency's minor unit; a line's total is
rounded per line, the tax once per rate over that rate's lines (EN 16931)."""

from decimal import Decimal

import pytest

from shop_accounts.core.money import (
    TaxBreakdown,
    line_total,
    minor_unit,
    quantize,
    tax_of,
    with_tax,
)


@pytest.mark.parametrize(
    ("currency", "unit"),
    [("EUR", "0.01"), ("USD", "0.01"), ("NOK", "0.01"), ("JPY", "1"), ("KWD", "0.001")],
)
def test_each_currency_rounds_to_its_minor_unit(currency, unit):
    assert minor_unit(currency) == Decimal(unit)
    assert (
        quantize(Decimal("2.5005"), currency).as_tuple().exponent
        == Decimal(unit).as_tuple().exponent
    )


def test_halves_round_up():
    assert quantize(Decimal("0.125"), "EUR") == Decimal("0.13")
    assert quantize(Decimal("0.124"), "EUR") == Decimal("0.12")
    assert quantize(Decimal("2.5"), "JPY") == Decimal("3")
    assert quantize(Decimal("-0.125"), "EUR") == Decimal("-0.13")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        quantize(0.1, "EUR")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        line_total(Decimal("1.00"), 3, "EUR", discount=0.5)  # type: ignore[arg-type]


def test_a_line_total_is_rounded_once_for_the_line():
    # 3 × 0.335 = 1.005 → 1.01; rounding the unit price first would give 1.02.
    assert line_total(Decimal("0.335"), 3, "EUR") == Decimal("1.01")
    assert line_total(Decimal("10.00"), 2, "EUR", discount=Decimal("1.50")) == Decimal("18.50")
    assert line_total(Decimal("1200"), 3, "JPY") == Decimal("3600")


def test_tax_is_computed_once_per_rate_not_per_line():
    # Three lines of 0.07 at 21 %: per line 0.0147 → 0.01 each (0.03 in all);
    # per rate 0.21 × 21 % = 0.0441 → 0.04. EN 16931 wants the latter.
    lines = [(Decimal("21.00"), Decimal("0.07"))] * 3
    per_line = sum(tax_of(net, rate, "EUR") for rate, net in lines)

    breakdown = TaxBreakdown.from_lines("EUR", lines)

    assert per_line == Decimal("0.03")
    assert breakdown.tax == Decimal("0.04")
    assert breakdown.net == Decimal("0.21")
    assert breakdown.gross == Decimal("0.25")


def test_the_breakdown_holds_each_rate_highest_first():
    breakdown = TaxBreakdown.from_lines(
        "EUR",
        [
            (Decimal("9"), Decimal("2.35")),
            (Decimal("21.00"), Decimal("10.05")),
            (Decimal("9.00"), Decimal("2.35")),
            (Decimal("0"), Decimal("5.00")),
        ],
    )

    assert [(r.rate, r.net, r.tax) for r in breakdown.rates] == [
        (Decimal("21.00"), Decimal("10.05"), Decimal("2.11")),
        (Decimal("9.00"), Decimal("4.70"), Decimal("0.42")),
        (Decimal("0.00"), Decimal("5.00"), Decimal("0.00")),
    ]
    assert breakdown.net == Decimal("19.75")
    assert breakdown.tax == Decimal("2.53")
    assert breakdown.gross == Decimal("22.28")
    assert breakdown.as_data() == [
        {"rate": "21.00", "net": "10.05", "tax": "2.11"},
        {"rate": "9.00", "net": "4.70", "tax": "0.42"},
        {"rate": "0.00", "net": "5.00", "tax": "0.00"},
    ]


def test_a_price_with_tax_adds_the_rounded_tax():
    assert with_tax(Decimal("12.40"), Decimal("21"), "EUR") == Decimal("15.00")
    assert with_tax(Decimal("1000"), Decimal("10"), "JPY") == Decimal("1100")
