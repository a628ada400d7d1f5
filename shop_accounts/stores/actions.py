"""Writes to stores. Account sharing moves customers between realms, so it is
an action of the customers app (`customers.actions.set_account_sharing`)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from shop_accounts.core.email_layout import placeholders_in
from shop_accounts.core.errors import StrOrPromise, UnknownField
from shop_accounts.stores import email_kinds
from shop_accounts.stores.errors import HostnameTaken, InvalidEmailText, InvalidStoreSetting
from shop_accounts.stores.locks import lock_store
from shop_accounts.stores.models import AccountRealm, EmailText, Store
from shop_accounts.stores.queries import forget_cached_stores

POLICY_FIELDS = (
    "name",
    "hostname",
    "default_language",
    "currency",
    "country",
    "prices_include_tax",
    "email_from",
    "checkout_accounts",
    "signup_mode",
    "shop_visibility",
    "guest_prices",
    "show_account_link",
    "min_password_length",
    "signin_with_password",
    "signin_with_link",
    "signin_with_code",
    "signin_with_passkey",
    "signup_without_password",
    "signup_name_fields",
    "default_customer_type",
    "two_factor",
    "signin_link_days",
    "invitation_days",
    "captcha_provider",
    "captcha_site_key",
    "captcha_secret_key",
    "captcha_min_score",
    "captcha_on_signin",
    "captcha_on_signup",
    "captcha_on_password_reset",
    "captcha_on_token_request",
    "captcha_on_contact",
    "email_colour",
    "email_logo_url",
    "postal_address",
)


def shared_realm() -> AccountRealm:
    """The one realm of all stores that share customer accounts."""
    realm, _created = AccountRealm.objects.get_or_create(
        is_shared=True, defaults={"name": "Shared accounts"}
    )
    return realm


@transaction.atomic
def create_store(
    *, name: str, hostname: str, shares_accounts: bool = False, is_default: bool = False, **fields
) -> Store:
    """Create a store with its own account realm, or in the shared realm."""
    hostname = hostname.lower().strip()
    if Store.objects.filter(hostname=hostname).exists():
        raise HostnameTaken()
    realm = shared_realm() if shares_accounts else AccountRealm.objects.create(name=name)
    if is_default:
        Store.objects.filter(is_default=True).update(is_default=False)
    # A new store (or a new default) changes what some host names answer.
    forget_cached_stores()
    return Store.objects.create(
        name=name,
        hostname=hostname,
        is_default=is_default,
        shares_accounts=shares_accounts,
        account_realm=realm,
        **fields,
    )


@transaction.atomic
def update_store(store: Store, **changes) -> Store:
    """Change a store's details and account policy (not its account sharing)."""
    UnknownField.refuse(changes, {*POLICY_FIELDS, "is_default"})
    invalid: dict[str, list[StrOrPromise]] = {}
    for field, value in changes.items():
        # The back-office form checks these too; other callers get the same
        # translated messages (e.g. a minimum password length of 8 to 64).
        model_field = Store._meta.get_field(field)
        if isinstance(model_field, models.Field):
            try:
                model_field.run_validators(model_field.to_python(value))
            except ValidationError as error:
                invalid[field] = list(error.messages)
    if invalid:
        raise InvalidStoreSetting(errors=invalid)
    locked = lock_store(store.pk)
    if "hostname" in changes:
        changes["hostname"] = changes["hostname"].lower().strip()
        if Store.objects.exclude(pk=store.pk).filter(hostname=changes["hostname"]).exists():
            raise HostnameTaken()
    if changes.get("is_default"):
        Store.objects.exclude(pk=store.pk).filter(is_default=True).update(is_default=False)
    for field, value in changes.items():
        setattr(locked, field, value)
    try:
        locked.save()
    except IntegrityError as error:
        raise HostnameTaken() from error
    forget_cached_stores()
    return locked


@transaction.atomic
def set_email_text(
    *,
    store: Store,
    kind: str,
    language: str,
    subject: str,
    message: str,
    email_text: EmailText | None = None,
) -> EmailText:
    """Save the merchant's own wording of one email for a store and language
    (a new one, or `email_text` changed). Raises InvalidEmailText when the
    store already has a text of that kind in that language, or when the
    subject or message uses a {placeholder} the email does not offer."""
    check_placeholders(kind, subject=subject, message=message)
    text = email_text or EmailText()
    text.store, text.kind, text.language = store, kind, language
    text.subject, text.message = subject.strip(), message.strip()
    try:
        text.full_clean()
    except ValidationError as error:
        raise InvalidEmailText.from_validation_error(error) from error
    text.save()
    return text


def check_placeholders(kind: str, *, subject: str, message: str) -> None:
    """Refuse (InvalidEmailText, per field) a subject or message that uses a
    {placeholder} email `kind` does not offer, naming it and the allowed ones."""
    registered = email_kinds.email_kind(kind)
    allowed = registered.placeholders if registered else ()
    errors: dict[str, list[StrOrPromise]] = {}
    for field, text in (("subject", subject), ("message", message)):
        unknown = sorted(placeholders_in(text) - set(allowed))
        if unknown:
            errors[field] = [
                _("Unknown placeholders: %(unknown)s. This email offers: %(allowed)s.")
                % {
                    "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                    "allowed": ", ".join(f"{{{name}}}" for name in allowed),
                }
            ]
    if errors:
        raise InvalidEmailText(errors=errors)
