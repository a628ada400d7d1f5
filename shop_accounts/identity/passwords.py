"""Password rules (NIST 800-63B): a length window set per store, any Unicode,
no composition rules, and a refusal of passwords that are easy to guess —
common ones (an offline list shipped with Django, 20,000 entries), the shop's
name and the email's local part.

Registered in settings.AUTH_PASSWORD_VALIDATORS; allauth's adapter runs them
on sign-up, reset and change. Lengths count characters, not bytes, of the
NFKC-normalised password, so "é" typed either way counts once; the hasher
stores and compares it normalised too (core/hashers.py).
"""

import functools
import re
import unicodedata

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shop_accounts.stores.context import current_store

DEFAULT_MIN_LENGTH = 12
MAX_LENGTH = 4096


def normalized(password: str) -> str:
    """The password as compared: NFKC-normalised (NIST 800-63B 5.1.1.2)."""
    return unicodedata.normalize("NFKC", password)


def _folded(text: str) -> str:
    """Lower case, letters and digits only: "Test-Shop" and "testshop" match."""
    return "".join(ch for ch in normalized(text).casefold() if ch.isalnum())


@functools.cache
def _blocklist() -> "BlocklistValidator":
    # Loading Django's list of 20,000 passwords takes a while; once is enough.
    return BlocklistValidator()


def _passes_on_its_own(rest: str) -> bool:
    """Would `rest` (what remains of a folded password) pass the length and
    blocklist rules?"""
    try:
        StoreLengthValidator().validate(rest)
        _blocklist().validate(rest)
    except ValidationError:
        return False
    return True


def min_length() -> int:
    """The minimum length of the store serving the request (12 elsewhere)."""
    store = current_store()
    return store.min_password_length if store is not None else DEFAULT_MIN_LENGTH


class StoreLengthValidator:
    """At least the store's minimum (8 to 64, default 12) and at most 4096
    characters, so long passphrases fit but nobody makes the server hash a
    megabyte."""

    def validate(self, password: str, user: object = None) -> None:
        length = len(normalized(password))
        minimum = min_length()
        if length < minimum:
            raise ValidationError(
                ngettext(
                    "Use at least %(count)d character.",
                    "Use at least %(count)d characters.",
                    minimum,
                )
                % {"count": minimum},
                code="password_too_short",
            )
        if length > MAX_LENGTH:
            raise ValidationError(
                _("Use at most %(count)d characters.") % {"count": MAX_LENGTH},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        minimum = min_length()
        return ngettext(
            "Use at least %(count)d character. A few words make a good password; "
            "any characters and spaces are fine.",
            "Use at least %(count)d characters. A few words make a good password; "
            "any characters and spaces are fine.",
            minimum,
        ) % {"count": minimum}


class BlocklistValidator(CommonPasswordValidator):
    """Django's offline list of 20,000 common passwords, compared after NFKC
    normalisation and case folding, also with digits around them
    ("sunshine2024"); and passwords that only repeat one to four characters."""

    def validate(self, password: str, user: object = None) -> None:
        typed = normalized(password).casefold().strip()
        core = _folded(password).strip("0123456789")
        if typed in self.passwords or (core and core in self.passwords):
            raise ValidationError(
                _("This password is on a list of often used passwords. Choose another one."),
                code="password_too_common",
            )
        if re.fullmatch(r"(.{1,4})\1+", typed, flags=re.DOTALL):
            raise ValidationError(
                _("This password only repeats a few characters. Choose another one."),
                code="password_repetitive",
            )

    def get_help_text(self) -> str:
        return _("Often used passwords are refused.")


class ContextWordsValidator:
    """Refuses a password built on the shop's name or the customer's email
    (or its local part): each is looked for after folding case, spaces and
    punctuation, anywhere and as often as it occurs ("Test Shop 2026 rocks",
    "TestShopTestShop"). Such a password is accepted only if what remains
    without them would pass the length and blocklist rules on its own, so a
    long passphrase that happens to name the shop is fine."""

    # Shorter words (the "jo" of jo@example.com) are skipped: they occur in
    # too many good passphrases to say anything about them.
    MIN_WORD_LENGTH = 3

    def validate(self, password: str, user: object = None) -> None:
        typed = _folded(password)
        found = [
            (word, message)
            for word, message in self._words(user)
            if len(word) >= self.MIN_WORD_LENGTH and word in typed
        ]
        rest = typed
        # Longest first: the whole email goes before its local part.
        for word, _message in sorted(found, key=lambda pair: len(pair[0]), reverse=True):
            rest = rest.replace(word, "")
        if found and not _passes_on_its_own(rest):
            # The shop's name is named first when both are in the password.
            raise ValidationError(found[0][1], code="password_context_word")

    def _words(self, user: object) -> list[tuple[str, str]]:
        words = []
        store = current_store()
        if store is not None:
            words.append((_folded(store.name), _("Do not use the shop's name as your password.")))
        email = getattr(user, "email", "") or ""
        local_part = email.rpartition("@")[0] if "@" in email else ""
        if local_part:
            message = _("Do not use your email address as your password.")
            words += [(_folded(email), message), (_folded(local_part), message)]
        return words

    def get_help_text(self) -> str:
        return _("Your email address and the shop's name are refused.")
