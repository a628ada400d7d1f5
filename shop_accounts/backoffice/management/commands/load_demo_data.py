"""Demo data: two stores that do not share accounts, customers with and
without accounts, addresses, and a merchant. Safe to run twice."""

from decimal import Decimal
from urllib.parse import quote, urlencode

from django.core.management.base import BaseCommand
from django.db import transaction

from shop_accounts.catalog import groups
from shop_accounts.catalog.actions import create_product
from shop_accounts.catalog.models import Product
from shop_accounts.checkout import actions as checkout_actions
from shop_accounts.checkout.models import ShippingRate
from shop_accounts.conf import shop_settings
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer
from shop_accounts.identity.actions import record_verified_email
from shop_accounts.identity.allauth_internals import TOTP
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store

# The demo passwords pass the shop's own rules (identity/passwords.py): no
# shop name or email in them, a few words long (tests/demo checks it).
DEMO_PASSWORD = "blue kettle morning"
MERCHANT_EMAIL = "merchant@example.com"
MERCHANT_PASSWORD = "quiet harbour lantern"
# The back office requires an authenticator app (or a passkey) of staff. The
# demo merchant's app secret is fixed, so the login table can print it.
MERCHANT_TOTP_SECRET = "DEMOSHOPMERCHANTTOTPSECRET234567"


class Command(BaseCommand):
    help = "Load the demo stores, customers and merchant (once)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        if Store.objects.exists():
            self.stdout.write("Demo data is already loaded.")
            self._print_logins()
            return
        shop = store_actions.create_store(
            name="Demo Shop",
            hostname="localhost",
            is_default=True,
            default_language="en",
            # The self-hosted proof of work needs no third party; sign-in is
            # left without it (rate limits guard it) to keep the demo quick.
            captcha_provider=Store.CaptchaProvider.ALTCHA,
            captcha_on_signin=False,
        )
        b2b = store_actions.create_store(
            name="Demo B2B",
            hostname="b2b.localhost",
            default_language="en",
            prices_include_tax=False,
            checkout_accounts=Store.CheckoutAccounts.REQUIRED,
            signup_mode=Store.SignupMode.APPROVAL,
            default_customer_type=Store.CustomerType.BUSINESS,
            shop_visibility=Store.ShopVisibility.SIGNED_IN,
            guest_prices=Store.GuestPrices.HIDDEN,
        )

        self._products(shop, b2b)
        self._shipping_rates(shop, b2b)
        merchant = Customer.objects.create_superuser(MERCHANT_EMAIL, MERCHANT_PASSWORD, store=shop)
        record_verified_email(merchant)
        TOTP.activate(merchant, MERCHANT_TOTP_SECRET)

        anna = self._account_holder(
            shop, "anna@example.com", first_name="Anna", last_name="Jansen", language="en"
        )
        actions.add_address(
            anna,
            actor=None,
            street="Keizersgracht",
            house_number="120",
            postal_code="1015 CX",
            city="Amsterdam",
            country="NL",
            phone="+31 20 123 4567",
        )
        actions.add_address(
            anna,
            actor=None,
            company="Jansen Studio",
            attention_of="Anna Jansen",
            street="Oudegracht",
            house_number="45",
            house_number_extension="B",
            postal_code="3511 AB",
            city="Utrecht",
            country="NL",
            use_for_billing=False,
            use_for_shipping=True,
            default_shipping=True,
        )
        actions.set_marketing_consent(anna, accepts=True, source="signup", actor=anna)

        bernd = self._account_holder(
            shop,
            "bernd@example.com",
            first_name="Bernd",
            last_name="Keller",
            language="de",
            gender=Customer.Gender.MALE,
        )
        actions.add_address(
            bernd,
            actor=None,
            street="Lindenstraße",
            house_number="7",
            postal_code="10969",
            city="Berlin",
            country="DE",
        )

        carla = self._account_holder(
            b2b,
            "carla@example.com",
            first_name="Carla",
            initials="C.M.",
            last_name="Rossi",
            language="it",
            customer_type=Customer.CustomerType.BUSINESS,
            company_name="Rossi Forniture S.r.l.",
            company_id_number="RM-1234567",
            coc_number="RM 998877",
            vat_number="IT12345678901",
            phone="+39 06 1234 5678",
        )
        actions.add_address(
            carla,
            actor=None,
            company="Rossi Forniture S.r.l.",
            attention_of="Amministrazione",
            street="Via del Corso",
            house_number="101",
            postal_code="00186",
            city="Roma",
            region="RM",
            country="IT",
        )
        actions.add_address(
            carla,
            actor=None,
            company="Rossi Forniture S.r.l.",
            attention_of="Magazzino",
            street="Via Tiburtina",
            house_number="1020",
            postal_code="00156",
            city="Roma",
            region="RM",
            country="IT",
            use_for_billing=False,
            default_shipping=True,
        )

        # The same email in a store that does not share accounts: another person.
        self._account_holder(
            shop, "carla@example.com", first_name="Carla", last_name="Bianchi", language="it"
        )

        actions.create_customer(
            store=shop,
            email="guest.gina@example.com",
            actor=None,
            source="checkout",
            first_name="Gina",
            last_name="Gast",
            language="de",
        )
        guest = actions.create_customer(
            store=shop,
            email="guest.gus@example.com",
            actor=None,
            source="checkout",
            first_name="Gus",
            last_name="Guest",
        )
        actions.add_address(
            guest,
            actor=None,
            street="High Street",
            house_number="1",
            postal_code="SW1A 1AA",
            city="London",
            country="GB",
        )

        self._customer_groups(shop, bernd)

        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self._print_logins()

    def _account_holder(self, store: Store, email: str, **fields) -> Customer:
        language = fields.pop("language")
        customer = actions.open_account(
            store=store,
            email=email,
            password=DEMO_PASSWORD,
            language=language,
            first_name=fields.pop("first_name", ""),
            last_name=fields.pop("last_name", ""),
        )
        if fields:
            customer = actions.update_customer(customer, actor=None, **fields)
        record_verified_email(customer)
        return customer

    def _print_logins(self) -> None:
        # The port `make run PORT=...` serves on; the links in emails follow it too.
        port = demo_port()
        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"  Demo Shop:  http://localhost:{port}/        "
                    f"Demo B2B: http://b2b.localhost:{port}/",
                    f"  Back office: http://localhost:{port}/backoffice/",
                    f"  Merchant: {MERCHANT_EMAIL} / '{MERCHANT_PASSWORD}', then a code from an",
                    f"  authenticator app with the secret {MERCHANT_TOTP_SECRET}",
                    f"  ({merchant_totp_url()}),",
                    "  or the current code: SHOP_DEMO=1 .venv/bin/python manage.py demo_totp_code",
                    f"  Customers (password '{DEMO_PASSWORD}'): anna@example.com,",
                    "  bernd@example.com (customer group Trade: 10 % off), carla@example.com",
                    "  (both stores, two separate accounts)",
                    "",
                ]
            )
        )

    def _products(self, shop: Store, b2b: Store) -> None:
        for name, price, description in [
            ("Linen tea towel", "12.40", "Stonewashed linen, 50 x 70 cm."),
            ("Stoneware mug", "9.90", "Hand-glazed, 300 ml, dishwasher safe."),
            ("Beeswax candle", "7.44", "Burns for about 20 hours."),
            ("Wool throw", "74.38", "Merino wool, 130 x 170 cm."),
        ]:
            create_product(shop, name=name, price=Decimal(price), description=description)
        for name, price, sku in [
            ("Office chair, ergonomic", "189.00", "B2B-CH-01"),
            ("Standing desk 160 cm", "449.00", "B2B-DK-16"),
            ("Monitor arm, dual", "69.00", "B2B-MA-02"),
        ]:
            create_product(b2b, name=name, price=Decimal(price), sku=sku)

    def _customer_groups(self, shop: Store, member: Customer) -> None:
        """A "Trade" group in the shop: 10 % off, the wool throw at a fixed
        price, and Bernd in it (he sees his prices when signed in)."""
        trade = groups.create_customer_group(
            shop, name="Trade", discount_percent=Decimal("10.00"), may_pay_by_invoice=True
        )
        throw = Product.objects.get(store=shop, slug="wool-throw")
        groups.set_group_price(trade, throw, Decimal("59.50"))
        groups.set_customer_group(member, store=shop, group=trade, actor=None)

    def _shipping_rates(self, shop: Store, b2b: Store) -> None:
        """Flat rates: home country, neighbours, the rest of the world, and
        free shipping above an amount in the shop; one rate in the B2B store."""
        for position, (store, name, countries, price, free_above) in enumerate(
            [
                (shop, "Standard delivery", ["NL"], "4.95", "50.00"),
                (shop, "Express delivery", ["NL"], "9.95", None),
                (shop, "Delivery to Belgium and Germany", ["BE", "DE"], "7.95", "75.00"),
                (shop, "International delivery", [], "14.95", None),
                (b2b, "Freight", [], "25.00", "500.00"),
            ]
        ):
            checkout_actions.save_shipping_rate(
                ShippingRate(
                    store=store,
                    name=name,
                    countries=countries,  # type: ignore[misc]
                    price=Decimal(price),
                    free_above=Decimal(free_above) if free_above else None,
                    position=position,
                ),
                actor=None,
            )


def merchant_totp_url() -> str:
    """The otpauth:// address an authenticator app scans for the demo merchant."""
    query = urlencode({"secret": MERCHANT_TOTP_SECRET, "issuer": "Demo Shop"}, quote_via=quote)
    return f"otpauth://totp/{quote('Demo Shop:' + MERCHANT_EMAIL)}?{query}"


def demo_port() -> int:
    """The port the demo is served on: SHOP_LINK_PORT, which `make run PORT=...`
    sets (8000 by default)."""
    return shop_settings.LINK_PORT or 8000
