"""Money: `Decimal` amounts in one currency, rounded to its minor unit.

Amounts are never floats. Rounding is ROUND_HALF_UP (commercial rounding:
0.005 EUR becomes 0.01 EUR), to the currency's minor unit as ISO 4217 gives
its exponent: two decimals for most currencies (EUR, USD, NOK, ...), none for
JPY, three for KWD. The columns of `catalog` and `orders` hold two decimals,
so a three-decimal currency would need wider columns first.

Where rounding happens, and why (EN 16931, the European e-invoice standard,
which the invoices' Factur-X XML follows):

- each line's total (unit price × quantity − discount) is rounded on its own,
  so the lines a customer reads add up to the net total printed below them
  (BR-CO-10: the sum of the line net amounts);
- the tax is computed once per tax rate, over the sum of the rounded line
  totals of that rate, and rounded once (BR-CO-17: a VAT category's tax
  amount is its taxable amount × its rate). Rounding the tax of every line
  and adding those up would drift from that by a cent per few lines, and the
  invoice would not validate. `TaxBreakdown` holds the result: per rate, the
  net and the tax.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# ISO 4217 exponents that are not 2; every other code has two decimals.
_EXPONENTS: dict[str, int] = {
    **dict.fromkeys(
        (
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}

HUNDRED = Decimal(100)
# Tax rates are percentages with two decimals (5.50, 21.00).
RATE_QUANTUM = Decimal("0.01")


def exponent(currency: str) -> int:
    """How many decimals the currency's minor unit has (ISO 4217)."""
    return _EXPONENTS.get(currency.upper(), 2)


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of the currency: 0.01 for EUR, 1 for JPY."""
    return Decimal(1).scaleb(-exponent(currency))


def _decimal(amount: Decimal | int) -> Decimal:
    # A float has already lost the cents it was meant to hold (0.1 + 0.2):
    # refusing it here keeps floats out of every amount.
    if isinstance(amount, float) or not isinstance(amount, Decimal | int):
        raise TypeError(f"money is Decimal, not {type(amount).__name__}")
    return Decimal(amount)


def quantize(amount: Decimal | int, currency: str) -> Decimal:
    """`amount` rounded half up to the currency's minor unit."""
    return _decimal(amount).quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def line_total(
    unit_price: Decimal, quantity: int, currency: str, *, discount: Decimal = Decimal(0)
) -> Decimal:
    """A line's net total: unit price × quantity less the line's discount,
    rounded once for the line."""
    return quantize(_decimal(unit_price) * quantity - _decimal(discount), currency)


def tax_of(net: Decimal, rate: Decimal, currency: str) -> Decimal:
    """The tax on `net` at `rate` percent, rounded once."""
    return quantize(_decimal(net) * _decimal(rate) / HUNDRED, currency)


def with_tax(net: Decimal, rate: Decimal, currency: str) -> Decimal:
    """`net` plus its tax at `rate` percent (a price as shown with tax)."""
    return quantize(_decimal(net) + tax_of(net, rate, currency), currency)


@dataclass(frozen=True)
class RateTotal:
    """The lines of one tax rate: their net total and the tax on it."""

    rate: Decimal
    net: Decimal
    tax: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


@dataclass(frozen=True)
class TaxBreakdown:
    """An order's or invoice's taxes per rate (highest rate first), and its
    totals. Build it with `from_lines` from the rounded line totals."""

    currency: str
    rates: tuple[RateTotal, ...]

    @classmethod
    def from_lines(cls, currency: str, lines: Iterable[tuple[Decimal, Decimal]]) -> "TaxBreakdown":
        """`lines` are (tax rate in percent, rounded line net total) pairs.
        The nets are added per rate and the tax of each rate is rounded once
        (EN 16931 BR-CO-17; see the module's docstring)."""
        nets: dict[Decimal, Decimal] = {}
        for rate, net in lines:
            rate = _decimal(rate).quantize(RATE_QUANTUM)
            nets[rate] = nets.get(rate, Decimal(0)) + quantize(net, currency)
        return cls(
            currency=currency,
            rates=tuple(
                RateTotal(rate=rate, net=net, tax=tax_of(net, rate, currency))
                for rate, net in sorted(nets.items(), reverse=True)
            ),
        )

    @property
    def net(self) -> Decimal:
        return quantize(sum((r.net for r in self.rates), Decimal(0)), self.currency)

    @property
    def tax(self) -> Decimal:
        return quantize(sum((r.tax for r in self.rates), Decimal(0)), self.currency)

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax

    def as_data(self) -> list[dict[str, str]]:
        """The breakdown as JSON-safe rows (amounts as strings, never floats),
        for a snapshot on an order or invoice."""
        return [{"rate": str(r.rate), "net": str(r.net), "tax": str(r.tax)} for r in self.rates]
