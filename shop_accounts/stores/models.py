"""Stores, their account policy, and the account realms they share."""

from django.conf import settings
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
    URLValidator,
)
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from shop_accounts.core.email_layout import DEFAULT_COLOUR
from shop_accounts.core.models import TimeStampedModel
from shop_accounts.stores import email_kinds


class AccountRealm(TimeStampedModel):
    """A group of stores whose customers share one set of accounts.

    An email is unique within a realm. A store that does not share accounts has
    a realm of its own; all stores that share accounts use the shared realm.
    """

    name = models.CharField(_("name"), max_length=200)
    is_shared = models.BooleanField(
        _("shared by several stores"),
        default=False,
        help_text=_("The realm every store that shares customer accounts belongs to."),
    )

    class Meta:
        verbose_name = _("account realm")
        verbose_name_plural = _("account realms")
        constraints = [
            models.UniqueConstraint(
                fields=["is_shared"], condition=Q(is_shared=True), name="one_shared_realm"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Store(TimeStampedModel):
    """One shop front: a host name, its language and currency, and its
    account policy. Enforcing each policy belongs to sign-in and checkout."""

    class CheckoutAccounts(models.TextChoices):
        DISABLED = "disabled", _("Disabled: guests only")
        OPTIONAL = "optional", _("Optional: guest checkout or an account")
        REQUIRED = "required", _("Required: customers must sign in")

    class SignupMode(models.TextChoices):
        FREE = "free", _("Free sign-up")
        INVITATION = "invitation", _("By invitation only")
        APPROVAL = "approval", _("Free sign-up with manual approval")
        ACTIVATION_LINK = "activation_link", _("Free sign-up with an email activation link")

    class ShopVisibility(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        SIGNED_IN = "signed_in", _("Signed-in customers only")

    class TwoFactor(models.TextChoices):
        OFF = "off", _("Off")
        OPTIONAL = "optional", _("Optional: customers may turn it on")
        REQUIRED = "required", _("Required for every customer")

    class CaptchaProvider(models.TextChoices):
        NONE = "none", _("No CAPTCHA")
        ALTCHA = "altcha", _("ALTCHA proof of work (self-hosted, no third party)")
        RECAPTCHA_V2 = "recaptcha_v2", _("Google reCAPTCHA v2")
        RECAPTCHA_V3 = "recaptcha_v3", _("Google reCAPTCHA v3 (score)")
        HCAPTCHA = "hcaptcha", _("hCaptcha")
        TURNSTILE = "turnstile", _("Cloudflare Turnstile")

    class NameFields(models.TextChoices):
        REQUIRED = "required", _("Asked and required")
        OPTIONAL = "optional", _("Asked, may be left empty")
        HIDDEN = "hidden", _("Not asked")

    class CustomerType(models.TextChoices):
        # The same values as customers.Customer.CustomerType (stores sits below customers).
        PRIVATE = "private", _("Private")
        BUSINESS = "business", _("Business")

    class GuestPrices(models.TextChoices):
        SHOWN = "shown", _("Shown")
        HIDDEN = "hidden", _("Hidden: sign in to see prices")

    name = models.CharField(_("name"), max_length=200)
    hostname = models.CharField(
        _("host name"),
        max_length=253,
        unique=True,
        help_text=_("The domain this store answers on, e.g. shop.example.com (no port)."),
    )
    is_default = models.BooleanField(
        _("default store"),
        default=False,
        help_text=_("Requests for an unknown host name are served by this store."),
    )
    default_language = models.CharField(
        _("default language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="EUR", help_text=_("ISO 4217 code, e.g. EUR.")
    )
    # Where the store is established: its VAT rates (catalog.TaxRate) and
    # whether EU reverse charge can apply (orders/tax.py) follow from it.
    country = CountryField(
        _("country"),
        default="NL",
        help_text=_("Where the shop is established; its VAT rates follow from it."),
    )
    prices_include_tax = models.BooleanField(_("prices shown with tax"), default=True)
    email_from = models.EmailField(
        _("sender address"), blank=True, help_text=_("Emails of this store come from this address.")
    )
    account_realm = models.ForeignKey(
        AccountRealm,
        on_delete=models.PROTECT,
        related_name="stores",
        verbose_name=_("account realm"),
    )

    # Account policy.
    checkout_accounts = models.CharField(
        _("accounts at checkout"),
        max_length=10,
        choices=CheckoutAccounts.choices,
        default=CheckoutAccounts.OPTIONAL,
    )
    signup_mode = models.CharField(
        _("sign-up"), max_length=20, choices=SignupMode.choices, default=SignupMode.FREE
    )
    shop_visibility = models.CharField(
        _("shop visible to"),
        max_length=10,
        choices=ShopVisibility.choices,
        default=ShopVisibility.EVERYONE,
    )
    guest_prices = models.CharField(
        _("prices for guests"),
        max_length=10,
        choices=GuestPrices.choices,
        default=GuestPrices.SHOWN,
    )
    show_account_link = models.BooleanField(_('show the "My account" link'), default=True)
    shares_accounts = models.BooleanField(
        _("share customer accounts with other stores"),
        default=False,
        help_text=_("Customers of all sharing stores sign in with one account."),
    )
    min_password_length = models.PositiveSmallIntegerField(
        _("minimum password length"),
        default=12,
        validators=[MinValueValidator(8), MaxValueValidator(64)],
    )

    # Ways in. Each sign-in method can be switched off per store.
    signin_with_password = models.BooleanField(_("sign in with email and password"), default=True)
    signin_with_link = models.BooleanField(_("sign in with an emailed link"), default=True)
    signin_with_code = models.BooleanField(_("sign in with an emailed code"), default=True)
    signin_with_passkey = models.BooleanField(_("sign in with a passkey"), default=True)
    signup_without_password = models.BooleanField(
        _("sign up without a password"),
        default=False,
        help_text=_(
            "The sign-up form asks for the email only; the customer then signs in "
            "with an emailed code or link (whichever is on) and may set a password "
            "later in My account."
        ),
    )
    signup_name_fields = models.CharField(
        _("first and last name at sign-up"),
        max_length=10,
        choices=NameFields.choices,
        default=NameFields.REQUIRED,
        help_text=_(
            "Emails greet customers by their first name and the back office lists them by "
            "name. Without a name they show the email address."
        ),
    )
    default_customer_type = models.CharField(
        _("customers are by default"),
        max_length=10,
        choices=CustomerType.choices,
        default=CustomerType.PRIVATE,
        help_text=_(
            "A business store's sign-up starts as a business and asks for the company "
            "name, VAT number and country."
        ),
    )
    two_factor = models.CharField(
        _("two-factor authentication"),
        max_length=10,
        choices=TwoFactor.choices,
        default=TwoFactor.OPTIONAL,
    )
    signin_link_days = models.PositiveSmallIntegerField(
        _("sign-in links valid for (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    invitation_days = models.PositiveSmallIntegerField(
        _("invitations valid for (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )

    # How its emails look (core.email_layout).
    email_colour = models.CharField(
        _("email brand colour"),
        max_length=7,
        default=DEFAULT_COLOUR,
        validators=[
            RegexValidator(
                r"^#[0-9a-fA-F]{6}$",
                message=_("Enter a colour as # and six hexadecimal digits, e.g. #1f4e79."),
            )
        ],
        help_text=_("The header and button colour of the store's emails, e.g. #1f4e79."),
    )
    email_logo_url = models.URLField(
        _("email logo"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["https"])],
        help_text=_(
            "The address (https://…) of the logo image shown at the top of the store's "
            "emails, at most 48 pixels high. Without one, the store's name is shown."
        ),
    )
    postal_address = models.TextField(
        _("postal address"),
        blank=True,
        help_text=_("Shown in the footer of every email of this store."),
    )

    # The seller on invoices (EU VAT Directive art. 226: full name, address
    # and VAT number of the supplier); the country is the store's.
    seller_name = models.CharField(
        _("legal name of the seller"),
        max_length=200,
        blank=True,
        help_text=_("The company name printed on invoices. Without one, the store's name."),
    )
    seller_street = models.CharField(_("seller's street and number"), max_length=200, blank=True)
    seller_postal_code = models.CharField(_("seller's postal code"), max_length=20, blank=True)
    seller_city = models.CharField(_("seller's city"), max_length=100, blank=True)
    seller_vat_number = models.CharField(_("seller's VAT number"), max_length=40, blank=True)
    seller_company_id = models.CharField(
        _("seller's company registration number"), max_length=40, blank=True
    )
    # Where shoppers who pay by bank transfer send the money.
    bank_account_holder = models.CharField(_("bank account holder"), max_length=200, blank=True)
    bank_iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bank_bic = models.CharField(_("BIC"), max_length=11, blank=True)
    invoice_payment_days = models.PositiveSmallIntegerField(
        _("days to pay an invoice"),
        default=14,
        validators=[MinValueValidator(0), MaxValueValidator(120)],
    )

    # Accounts opened by a first order (Ecwid, Lightspeed).
    accounts_at_first_order = models.BooleanField(
        _("open an account at the first order"),
        default=False,
        help_text=_(
            "A guest's first order opens an account for that email, without a password. "
            "The customer gets in with an emailed sign-in link or code, which proves the email."
        ),
    )

    # Form protection.
    captcha_provider = models.CharField(
        _("CAPTCHA"), max_length=20, choices=CaptchaProvider.choices, default=CaptchaProvider.NONE
    )
    captcha_site_key = models.CharField(_("CAPTCHA site key"), max_length=200, blank=True)
    captcha_secret_key = models.CharField(_("CAPTCHA secret key"), max_length=200, blank=True)
    captcha_min_score = models.DecimalField(
        _("reCAPTCHA v3 minimum score"),
        max_digits=3,
        decimal_places=2,
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    captcha_on_signin = models.BooleanField(_("CAPTCHA on sign-in"), default=True)
    captcha_on_signup = models.BooleanField(_("CAPTCHA on sign-up"), default=True)
    captcha_on_password_reset = models.BooleanField(_("CAPTCHA on password reset"), default=True)
    captcha_on_token_request = models.BooleanField(
        _("CAPTCHA on sign-in link and code requests"), default=True
    )
    captcha_on_contact = models.BooleanField(_("CAPTCHA on the contact form"), default=True)

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_store"
            ),
            models.CheckConstraint(
                condition=Q(min_password_length__gte=8, min_password_length__lte=64),
                name="min_password_length_8_to_64",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def signs_up_without_password(self) -> bool:
        """Does the sign-up form ask for the email only? Only where the
        customer has an emailed code or link to sign in with afterwards."""
        return self.signup_without_password and (self.signin_with_code or self.signin_with_link)

    @property
    def is_business_store(self) -> bool:
        """Is a new customer of this store a business by default (B2B)?"""
        return self.default_customer_type == self.CustomerType.BUSINESS

    @property
    def sender(self) -> str:
        address = self.email_from or settings.DEFAULT_FROM_EMAIL
        return f'"{self.name}" <{address}>'


class EmailText(TimeStampedModel):
    """A merchant's own wording of one email, per store and language. Where
    there is none, the shipped default text (translated) is used."""

    # Every email the product sends (stores/email_kinds.py), e.g.
    # Kind.INVITATION, Kind.PASSWORD_CHANGED.
    Kind = models.TextChoices(  # type: ignore[call-overload]
        "Kind", [(key.upper(), (key, kind.label)) for key, kind in email_kinds.EMAIL_KINDS.items()]
    )

    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="email_texts", verbose_name=_("store")
    )
    kind = models.CharField(_("email"), max_length=40, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(
        _("message"),
        blank=True,
        help_text=_(
            "Replaces the email's main text. The greeting, the link or code and the "
            "security details stay as they are."
        ),
    )

    class Meta:
        verbose_name = _("email text")
        verbose_name_plural = _("email texts")
        ordering = ["store", "kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "kind", "language"], name="one_email_text_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.store} · {self.get_kind_display()} · {self.language}"
