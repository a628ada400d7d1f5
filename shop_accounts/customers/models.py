"""Customer records, their addresses and their audit trail.

A customer record exists for every person the shop knows: guests, imported
customers, contact-form leads and account holders alike. The record is also
the Django user; whether it can sign in is its `account_state`. The email is
unique within an account realm (the stores that share accounts), so the same
person may hold separate accounts in stores that do not share.
"""

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from shop_accounts.core.models import Event, TimeStampedModel


class CustomerManager(BaseUserManager["Customer"]):
    def create_user(self, email: str, password: str | None = None, **fields) -> "Customer":
        """Used by Django's own commands only; the product uses actions."""
        from shop_accounts.stores.models import Store

        if "store" not in fields:
            fields["store"] = Store.objects.get(is_default=True)
        fields.setdefault("realm_id", fields["store"].account_realm_id)
        state = fields.pop("account_state", Customer.AccountState.ACTIVE)
        customer = self.model(email=self.normalize_email(email).lower(), **fields)
        customer.set_account_state(state)
        customer.set_password(password)
        customer.save(using=self._db)
        return customer

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "Customer":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class Customer(AbstractBaseUser, PermissionsMixin, TimeStampedModel):
    """A person the shop knows, with personal, contact and company data."""

    class AccountState(models.TextChoices):
        NONE = "none", _("No account")
        INVITED = "invited", _("Invited")
        AWAITING_ACTIVATION = "awaiting_activation", _("Awaiting email confirmation")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        ACTIVE = "active", _("Active")
        DEACTIVATED = "deactivated", _("Deactivated")

    class CustomerType(models.TextChoices):
        PRIVATE = "private", _("Private")
        BUSINESS = "business", _("Business")

    class Gender(models.TextChoices):
        UNSPECIFIED = "", _("Not specified")
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        DIVERSE = "diverse", _("Diverse")

    class ConsentSource(models.TextChoices):
        SIGNUP = "signup", _("At sign-up")
        CHECKOUT = "checkout", _("At checkout")
        MY_ACCOUNT = "my_account", _("In My Account")
        BACKOFFICE = "backoffice", _("By the merchant")
        IMPORT = "import", _("Imported")
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribe link")
        CONTACT_FORM = "contact_form", _("In the contact form")

    realm = models.ForeignKey(
        "stores.AccountRealm",
        on_delete=models.PROTECT,
        related_name="customers",
        verbose_name=_("account realm"),
    )
    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.PROTECT,
        related_name="customers",
        verbose_name=_("store"),
        help_text=_("The store where this customer was first recorded."),
    )
    signup_store = models.ForeignKey(
        "stores.Store",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed up at"),
        help_text=_(
            "The store where the account was opened; emails about the registration come from it."
        ),
    )
    email = models.EmailField(_("email"), max_length=254)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    initials = models.CharField(_("initials"), max_length=20, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    mobile = models.CharField(_("mobile"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, default=Gender.UNSPECIFIED, blank=True
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)

    accepts_marketing = models.BooleanField(_("accepts marketing emails"), default=False)
    marketing_consent_changed_at = models.DateTimeField(
        _("marketing consent given or withdrawn"), null=True, blank=True
    )
    marketing_consent_source = models.CharField(
        _("marketing consent given or withdrawn"),
        max_length=20,
        choices=ConsentSource.choices,
        blank=True,
    )

    customer_type = models.CharField(
        _("customer type"),
        max_length=10,
        choices=CustomerType.choices,
        default=CustomerType.PRIVATE,
    )
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    company_id_number = models.CharField(_("company ID number"), max_length=60, blank=True)
    coc_number = models.CharField(_("chamber of commerce number"), max_length=60, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=40, blank=True)
    # The merchant lets this customer pay by invoice (besides the groups
    # allowed to, catalog.CustomerGroup.may_pay_by_invoice).
    may_pay_by_invoice = models.BooleanField(_("may pay by invoice"), default=False)
    # Asked at sign-up in a business store (where the VAT number belongs to);
    # addresses carry their own country.
    country = CountryField(_("country"), blank=True)
    internal_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Only visible in the back office.")
    )

    account_state = models.CharField(
        _("account"), max_length=20, choices=AccountState.choices, default=AccountState.NONE
    )
    # Only an active account may sign in; Django, allauth and libraries read
    # and filter on this, so it is a real column, written only together with
    # account_state (set_account_state) and held to it by a check constraint.
    #
    # A sign-up does not make an active account: in a free or an
    # activation-link store it waits (AWAITING_ACTIVATION) until the emailed
    # confirmation link is followed, which proves the email and activates it;
    # in a manual-approval store it waits (AWAITING_APPROVAL) for the
    # merchant. So "active" always means: the email is proved (or the
    # merchant vouched for the person) and nobody has switched it off.
    is_active = models.BooleanField(_("Active"), default=False, db_index=True, editable=False)
    is_staff = models.BooleanField(
        _("staff"), default=False, help_text=_("May use the back office.")
    )
    is_lead = models.BooleanField(
        _("lead"), default=False, help_text=_("Known only from a contact form message.")
    )

    objects = CustomerManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["realm", "email"], name="unique_email_per_realm"),
            models.CheckConstraint(condition=Q(email=Lower("email")), name="email_is_lowercase"),
            models.CheckConstraint(
                condition=Q(is_active=True, account_state="active")
                | (Q(is_active=False) & ~Q(account_state="active")),
                name="is_active_follows_account_state",
            ),
        ]
        indexes = [models.Index(fields=["realm", "account_state"])]

    def __str__(self) -> str:
        return self.full_name or self.email

    # Save both with update_fields=[*Customer.STATE_FIELDS, ...].
    STATE_FIELDS: ClassVar[tuple[str, str]] = ("account_state", "is_active")

    def set_account_state(self, state: str) -> None:
        """Put the record in `state`, with is_active following it. The one
        place either is set; only the state-changing actions call it."""
        self.account_state = state
        self.is_active = state == self.AccountState.ACTIVE

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def is_business(self) -> bool:
        return self.customer_type == self.CustomerType.BUSINESS

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name or self.email


class PendingRegistration(Customer):
    """A registration awaiting the merchant's approval: the same customer
    record, seen as an entry of the back office's approval queue."""

    class Meta:
        proxy = True
        verbose_name = _("registration awaiting approval")
        verbose_name_plural = _("registrations awaiting approval")


class Address(TimeStampedModel):
    """A postal address of a customer, usable for billing, shipping or both."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("customer")
    )
    company = models.CharField(_("company"), max_length=200, blank=True)
    attention_of = models.CharField(_("attention of"), max_length=200, blank=True)
    street = models.CharField(_("street"), max_length=200)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    house_number_extension = models.CharField(_("extension"), max_length=20, blank=True)
    address2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("region"), max_length=100, blank=True)
    country = CountryField(_("country"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    use_for_billing = models.BooleanField(_("use for billing"), default=True)
    use_for_shipping = models.BooleanField(_("use for shipping"), default=True)
    is_default_billing = models.BooleanField(_("default billing address"), default=False)
    is_default_shipping = models.BooleanField(_("default shipping address"), default=False)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-is_default_billing", "-is_default_shipping", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(is_default_billing=True),
                name="one_default_billing_address",
            ),
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(is_default_shipping=True),
                name="one_default_shipping_address",
            ),
            models.CheckConstraint(
                condition=Q(use_for_billing=True) | Q(use_for_shipping=True),
                name="address_has_a_use",
            ),
        ]

    def __str__(self) -> str:
        return ", ".join(line for line in self.lines() if line)

    def lines(self, *, with_country: bool = True) -> list[str]:
        """The address as printed on a label (the country's name in the active language)."""
        number = " ".join(p for p in (self.house_number, self.house_number_extension) if p)
        return [
            self.company,
            self.attention_of,
            " ".join(p for p in (self.street, number) if p),
            self.address2,
            " ".join(p for p in (self.postal_code, self.city) if p),
            self.region,
            self.country.name if self.country and with_country else "",  # type: ignore[attr-defined]
        ]


class Invitation(models.Model):
    """An emailed invitation to open an account for an existing record.

    Only a hash of the token is stored; the token itself is in the email.
    A new invitation to the same customer supersedes the open one.
    """

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        SUPERSEDED = "superseded", _("Replaced by a newer invitation")

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("customer")
    )
    store = models.ForeignKey(
        "stores.Store", on_delete=models.CASCADE, related_name="+", verbose_name=_("store")
    )
    token_hash = models.CharField(max_length=64, unique=True)
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        Customer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.customer}: {self.get_status_display()}"

    def status_at(self, now) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.superseded_at:
            return self.Status.SUPERSEDED
        if self.expires_at <= now:
            return self.Status.EXPIRED
        return self.Status.SENT

    @property
    def status(self) -> str:
        from django.utils import timezone

        return self.status_at(timezone.now())

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)


class ContactMessage(models.Model):
    """A message sent through the storefront's contact form."""

    store = models.ForeignKey(
        "stores.Store", on_delete=models.CASCADE, related_name="+", verbose_name=_("store")
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="contact_messages",
        verbose_name=_("customer"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"))
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject or self.message[:60]


class CustomerEvent(Event):
    """One entry in a customer's audit trail, shown in the back office
    (columns from core's Event, so an order's trail has the same shape)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Record created")
        UPDATED = "updated", _("Data changed")
        MARKETING_CONSENT = "marketing_consent", _("Marketing consent changed")
        ADDRESS_ADDED = "address_added", _("Address added")
        ADDRESS_CHANGED = "address_changed", _("Address changed")
        ADDRESS_REMOVED = "address_removed", _("Address removed")
        ACCOUNT_CREATED = "account_created", _("Account created")
        ACCOUNT_ACTIVATED = "account_activated", _("Account activated")
        ACCOUNT_DEACTIVATED = "account_deactivated", _("Account deactivated")
        ACCOUNT_REACTIVATED = "account_reactivated", _("Account reactivated")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET_SENT = "password_reset_sent", _("Password reset link sent")
        REALM_CHANGED = "realm_changed", _("Moved to another account realm")
        REGISTERED = "registered", _("Signed up")
        APPROVED = "approved", _("Registration approved")
        DECLINED = "declined", _("Registration declined")
        INVITED = "invited", _("Invited to open an account")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        # The link spent (a first factor); SIGNED_IN follows once the session exists.
        SIGNED_IN_WITH_LINK = "signed_in_with_link", _("Sign-in link used")
        FACTOR_LOCKED = "factor_locked", _("Sign-in method locked after too many failures")
        FACTOR_UNLOCKED = "factor_unlocked", _("Sign-in method unlocked")
        CONTACT_MESSAGE = "contact_message", _("Contact form message")
        SESSIONS_ENDED = "sessions_ended", _("Signed out on the server")
        EMAIL_VERIFIED = "email_verified", _("Email address verified")
        TWO_FACTOR_ADDED = "two_factor_added", _("Two-factor method added")
        TWO_FACTOR_REMOVED = "two_factor_removed", _("Two-factor method removed")
        RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
        INVITATION_RESENT = "invitation_resent", _("Invitation sent again")
        SIGNED_IN = "signed_in", _("Signed in")
        SIGNIN_FAILED = "signin_failed", _("Failed sign-in attempt")
        PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Password reset requested")
        TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor authentication reset")
        GUEST_ORDERS_CLAIMED = "guest_orders_claimed", _("Guest orders joined the account")
        ACCOUNT_OPENED_AT_ORDER = "account_opened_at_order", _("Account opened by a first order")
        GROUP_CHANGED = "group_changed", _("Customer group changed")

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="events", verbose_name=_("customer")
    )
    kind = models.CharField(_("event"), max_length=40, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("customer event")
        verbose_name_plural = _("customer events")
